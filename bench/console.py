"""How much ``otlink serve`` asks of each robot as pages open: 4 virtual OT-2s each running a
protocol, then 0, 1, 3 and 10 open pages (event streams, as a browser tab holds), counting the
requests each robot logs.

    python bench/console.py [--robots 4] [--seconds 8]

Prints, per number of pages: status polls and all requests per robot per second, and the
updates each page received; the ratio is against one page (1.00 = pages cost the robots nothing).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from otlink.client import RobotClient
from otlink.emulator.child_process import EmulatorProcess
from otlink.emulator.server import free_port

PROTOCOL = """\
requirements = {"robotType": "OT-2", "apiLevel": "2.20"}
metadata = {"protocolName": "Bench: a long wait"}


def run(protocol):
    for step in range(400):
        protocol.comment(f"step {step}")
        protocol.delay(seconds=0.25)
"""
STATUS_POLL = re.compile(r'"GET /runs\?pageLength=1 HTTP')
REQUEST = re.compile(r'"(GET|POST|PUT|PATCH|DELETE) ')


def requests_logged(robot: EmulatorProcess) -> tuple[int, int]:
    """(status polls, all requests) in the robot's access log so far."""
    log = robot.output()
    return len(STATUS_POLL.findall(log)), len(REQUEST.findall(log))


def start_console(robots: list[EmulatorProcess]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [sys.executable, "-m", "otlink", "serve", "--port", str(port)]
    for robot in robots:
        command += ["--robot", robot.url]
    console = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return console, url
        except httpx.HTTPError:
            time.sleep(0.1)
    console.kill()
    raise SystemExit("otlink serve did not start")


async def hold_pages(url: str, pages: int, seconds: float) -> list[int]:
    """Open ``pages`` event streams for ``seconds``; the updates each received."""
    received = [0] * pages

    async def page(index: int, http: httpx.AsyncClient) -> None:
        async with http.stream("GET", f"{url}/events") as stream:
            async for line in stream.aiter_lines():
                received[index] += line.startswith("data:")

    async with httpx.AsyncClient(timeout=None) as http:
        tasks = [asyncio.ensure_future(page(i, http)) for i in range(pages)]
        await asyncio.sleep(seconds)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return received


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--robots", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10.0)  # two inventory cycles
    args = parser.parse_args()

    robots = [EmulatorProcess(args=("--verbose",)) for _ in range(args.robots)]
    console = None
    try:
        with tempfile.TemporaryDirectory() as folder:
            protocol_file = Path(folder) / "long_wait.py"
            protocol_file.write_text(PROTOCOL)
            for robot in robots:
                with RobotClient(robot.url) as client:
                    protocol = client.upload_protocol(protocol_file)
                    client.wait_for_analysis(protocol.id, timeout=120)
                    client.play_run(client.create_run(protocol.id).id)
        console, url = start_console(robots)
        time.sleep(3)  # the first polls, with the inventory
        print(f"{args.robots} robots each running a protocol; {args.seconds:.0f} s per row")
        print(
            f"{'pages':>5}  {'status polls/s':>14}  {'requests/s':>10}  {'ratio':>5}  updates/page"
        )
        baseline = None
        for pages in (0, 1, 3, 10):
            before = [requests_logged(robot) for robot in robots]
            started = time.monotonic()
            received = asyncio.run(hold_pages(url, pages, args.seconds))
            took = time.monotonic() - started
            after = [requests_logged(robot) for robot in robots]
            polls = max(a[0] - b[0] for a, b in zip(after, before, strict=True)) / took
            total = (
                sum(a[1] - b[1] for a, b in zip(after, before, strict=True)) / took / len(robots)
            )
            baseline = total if pages == 1 else baseline
            ratio = f"{total / baseline:.2f}" if baseline else "—"
            updates = f"{min(received)}-{max(received)}" if received else "—"
            print(f"{pages:>5}  {polls:>14.2f}  {total:>10.2f}  {ratio:>5}  {updates}")
        print("(status polls: the busiest robot; requests: the mean robot; from their access logs)")
    finally:
        if console is not None:
            console.terminate()
            console.wait(timeout=15)
        for robot in robots:
            robot.stop()


if __name__ == "__main__":
    main()
