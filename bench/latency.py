"""How long the robot stands idle between commands when the network is slow, with and without
lookahead.

Starts a virtual OT-2 and, in front of it, a loopback TCP proxy of its own that delays every
byte by a fixed one-way delay ``d`` in each direction. For each ``d`` it runs the same 200
commands (pickUpTip, aspirate, dispense, moveToAddressableAreaForDropTip, dropTipInPlace; 40
times) in a fresh live run twice: each command waited for (``enqueue_command``) and with
lookahead (``otlink.runs.Lookahead``). The robot's idle gap between two commands comes from
the robot's own timestamps: the next command's ``startedAt`` minus the previous one's
``completedAt`` (time spent at a lookahead hold counts as idle). Prints median and p90 gaps and
the wall time, the robot's total idle time and its ratio to the waited mode's, and the requests
per second reaching the robot while lookahead waits for one long command (``--long``
seconds, at the largest delay). Under each lookahead run, where the robot's time at its holds
went (robot timestamps again): the laptop seeing the hold and the posts' way there, accepting
the posts, the play's way there. Targets at d = 50 ms: median gap with lookahead <= 1 ms
(against about 2d waited), total idle <= 5% of waited, <= 5 requests/s.

    python bench/latency.py --delays 0 10 50 --depth 128
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import multiprocessing
import statistics
import time
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.connection import Connection
from typing import Any

from otlink.client import RobotClient
from otlink.emulator.child_process import EmulatorProcess
from otlink.models import CommandSummary
from otlink.runs import DEFAULT_DEPTH, Lookahead
from tip_cycle import cycle, prepare

CYCLES = 40
_HOLD = "waitForResume"


class DelayProxy:
    """A loopback TCP proxy adding ``delay`` seconds to each direction, order kept. It runs in
    a process of its own, as a network would: it takes no time from the client's process."""

    def __init__(self, upstream_port: int, delay: float) -> None:
        context = multiprocessing.get_context("spawn")
        self._requests = context.Value("q", 0)  # HTTP requests on their way to the robot
        mine, theirs = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(upstream_port, delay, self._requests, theirs), daemon=True
        )
        self._process.start()
        self.port: int = mine.recv()

    @property
    def requests(self) -> int:
        return int(self._requests.value)

    def stop(self) -> None:
        self._process.terminate()
        self._process.join()


def _serve(upstream_port: int, delay: float, requests: Any, ready: Connection) -> None:
    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
        await asyncio.gather(pump(reader, up_writer, to_robot=True), pump(up_reader, writer))

    async def pump(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter, to_robot: bool = False
    ) -> None:
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, data = await queue.get()
                if not data:
                    writer.close()
                    return
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                writer.write(data)
                await writer.drain()

        delivery = asyncio.create_task(deliver())
        while True:
            data = await reader.read(65536)
            if to_robot:
                with requests.get_lock():
                    requests.value += data.count(b" HTTP/1.1\r\n")
            queue.put_nowait((time.monotonic() + delay, data))
            if not data:
                break
        await delivery

    async def main() -> None:
        server = await asyncio.start_server(connection, "127.0.0.1", 0)
        ready.send(server.sockets[0].getsockname()[1])
        await asyncio.Event().wait()

    asyncio.run(main())


def prepared_run(robot: RobotClient) -> str:
    run = robot.create_run()
    prepare(robot, run.id)
    return run.id


@dataclass
class Hold:
    """Where the robot's time at one lookahead hold went (ms, from the robot's timestamps):
    ``notice`` from reaching the hold to accepting the first post behind it (the laptop seeing
    the hold, the posts' way there); ``posts`` accepting the batch, first post to last;
    ``play`` from the last post to the hold's end (answers back, the play's way there);
    ``resume`` from the hold's end to the next command's start."""

    notice: float
    posts: float
    play: float
    resume: float
    batch: int

    @property
    def total(self) -> float:
        return self.notice + self.posts + self.play + self.resume


def holds_of(listed: list[CommandSummary]) -> list[Hold]:
    """The breakdown of every hold the robot passed with a batch posted behind it."""
    holds = []
    for at, hold in enumerate(listed[:-1]):
        if hold.commandType != _HOLD or hold.completedAt is None:
            continue
        reached, released = _time(hold.startedAt), _time(hold.completedAt)
        posted = [
            _time(c.createdAt)
            for c in listed[at + 1 :]
            if reached <= _time(c.createdAt) <= released
        ]
        if not posted:
            continue
        holds.append(
            Hold(
                notice=(posted[0] - reached) * 1000,
                posts=(posted[-1] - posted[0]) * 1000,
                play=(released - posted[-1]) * 1000,
                resume=(_time(listed[at + 1].startedAt) - released) * 1000,
                batch=len(posted),
            )
        )
    return holds


def run_once(
    robot: RobotClient, direct: RobotClient, lookahead: int
) -> tuple[list[float], float, list[Hold]]:
    """The robot's idle gaps (ms) between the 200 commands, the wall time (s), the holds."""
    run_id = prepared_run(robot)
    commands = [step for n in range(CYCLES) for step in cycle(n)]
    started = time.perf_counter()
    if lookahead:
        with Lookahead(robot, run_id, depth=lookahead) as ahead:
            for command_type, params in commands:
                ahead.enqueue(command_type, params)
            ahead.sync()
            wall = time.perf_counter() - started
    else:
        # A home first, as the lookahead run's play does; not timed.
        robot.enqueue_command(run_id, "home")
        started = time.perf_counter()
        for command_type, params in commands:
            robot.enqueue_command(run_id, command_type, params)
        wall = time.perf_counter() - started
    everything = list(direct.iter_commands(run_id))
    listed = [c for c in everything if c.commandType != _HOLD]
    ours = [c for c in listed if c.commandType not in ("loadPipette", "loadLabware", "home")]
    assert len(ours) == len(commands), len(ours)
    gaps = [
        (_time(after.startedAt) - _time(before.completedAt)) * 1000
        for before, after in itertools.pairwise(ours)
    ]
    run = direct.get_run(run_id)
    if run.status not in ("succeeded", "failed", "stopped"):
        direct.stop_run(run_id)
        direct.wait_for_run(run_id, timeout=60)
    direct.archive_run(run_id)
    return gaps, wall, holds_of(everything)


def long_command_rate(robot: RobotClient, proxy: DelayProxy, seconds: float) -> float:
    """Requests per second at the robot while lookahead waits for one long command."""
    run_id = prepared_run(robot)
    with Lookahead(robot, run_id) as ahead:
        ahead.enqueue("waitForDuration", {"seconds": seconds})  # the robot waits: sent at once
        before, started = proxy.requests, time.perf_counter()
        ahead.sync()  # watches the robot until it is done
        rate = (proxy.requests - before) / (time.perf_counter() - started)
    robot.archive_run(run_id)
    return rate


def breakdown(holds: list[Hold]) -> str:
    """The time at the holds, summed over the run, by part (and per post)."""
    posts = sum(hold.batch for hold in holds)
    parts = {
        part: sum(getattr(hold, part) for hold in holds) / 1000
        for part in ("notice", "posts", "play", "resume")
    }
    per_post = sum(hold.posts for hold in holds) / max(1, posts - len(holds))
    return (
        f"{'':>7} {len(holds)} holds, {posts} posts: "
        + ", ".join(f"{part} {seconds:.2f} s" for part, seconds in parts.items())
        + f" (total {sum(parts.values()):.2f} s; {per_post:.1f} ms per post)"
    )


def _time(stamp: str | None) -> float:
    assert stamp is not None
    return datetime.fromisoformat(stamp).timestamp()


def p90(values: list[float]) -> float:
    return statistics.quantiles(values, n=10)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delays", type=float, nargs="+", default=[0, 10, 50], metavar="MS")
    parser.add_argument(
        "--depth", type=int, default=DEFAULT_DEPTH, help="lookahead depth (otlink run's default)"
    )
    parser.add_argument(
        "--long", type=float, default=60, metavar="S", help="the long command's seconds"
    )
    options = parser.parse_args()
    emulator = EmulatorProcess()
    try:
        print(f"{len(cycle(0)) * CYCLES} commands per run; gaps from the robot's timestamps")
        print(
            f"{'d (ms)':>7} {'lookahead':>10} {'median gap':>11} {'p90 gap':>9} {'wall':>8}"
            f" {'idle':>10}"
        )
        ratios: list[tuple[float, float]] = []
        rate = 0.0
        with RobotClient(emulator.url) as direct:
            for delay in options.delays:
                proxy = DelayProxy(emulator.port, delay / 1000)
                try:
                    with RobotClient(f"127.0.0.1:{proxy.port}") as robot:
                        idle = {}
                        for lookahead in (0, options.depth):
                            gaps, wall, holds = run_once(robot, direct, lookahead)
                            idle[lookahead] = sum(gaps)
                            print(
                                f"{delay:>7g} {lookahead or 'off':>10} "
                                f"{statistics.median(gaps):>8.2f} ms {p90(gaps):>6.2f} ms "
                                f"{wall:>6.2f} s {sum(gaps) / 1000:>8.2f} s",
                                flush=True,
                            )
                            if holds:
                                print(breakdown(holds), flush=True)
                        ratios.append((delay, idle[options.depth] / idle[0]))
                        if delay == max(options.delays):
                            rate = long_command_rate(robot, proxy, options.long)
                finally:
                    proxy.stop()
    finally:
        emulator.stop()
    for delay, ratio in ratios:
        print(f"d = {delay:g} ms: robot idle with lookahead {ratio:.1%} of waited (target <= 5%)")
    print(
        f"d = {max(options.delays):g} ms: {rate:.2f} requests/s at the robot during a"
        f" {options.long:g} s command (target <= 5)"
    )


if __name__ == "__main__":
    main()
