"""A live protocol with lookahead through a fault proxy (tests/client/fault_proxy.py) in front of
a virtual OT-2: cut and truncated answers, stalls and outages are ridden out with every command
run once and in order; a refused post fails the protocol at its line with nothing after it run; a
robot that restarted is reported as unreachable. No run is ever left active."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from fault_proxy import Action, FaultProxy
from run_layer import QUICK

from otlink.client import RobotClient
from otlink.emulator.child_process import EmulatorProcess
from otlink.errors import ProtocolFailed, RobotUnreachable
from otlink.live.protocol_runner import run_protocol_file
from otlink.runs.session import RunLost
from protocol_http import cycling_protocol

CYCLES = 8
PROTOCOL = cycling_protocol(CYCLES)


@pytest.fixture
def protocol(tmp_path: Path) -> Path:
    path = tmp_path / "cycles.py"
    path.write_text(PROTOCOL)
    return path


@pytest.fixture
def proxy(emulator: EmulatorProcess) -> Iterator[FaultProxy]:
    through = FaultProxy(("127.0.0.1", emulator.port))
    yield through
    through.stop()


class At:
    """A plan: ``action`` at the ``n``-th request of ``method`` whose path has ``part``."""

    def __init__(
        self, method: str, part: str, n: int, action: Action | Callable[[], Action]
    ) -> None:
        self.method, self.part, self.n, self.action = method, part, n, action
        self.seen = 0
        self.fired = False

    def __call__(self, method: str, path: str) -> Action:
        if method == self.method and self.part in path:
            self.seen += 1
            if self.seen == self.n:
                self.fired = True
                return self.action() if callable(self.action) else self.action
        return "PASS"


def at_post(n: int, action: Action | Callable[[], Action]) -> At:
    return At("POST", "/commands", n, action)


def at_get(n: int, action: Action) -> At:
    return At("GET", "/commands/", n, action)


def run_through(proxy: FaultProxy, protocol: Path, issued: list[str], lookahead: int) -> Any:
    def note(command_type: str, params: Mapping[str, Any]) -> None:
        issued.append(command_type)

    with RobotClient(proxy.url, options=QUICK) as client:
        return run_protocol_file(protocol, client, lookahead=lookahead, observers=[note])


#: Both ways a live run goes: with lookahead, and waited for (a hold and a play per command).
MODES = [pytest.param(8, id="lookahead"), pytest.param(0, id="waited")]
both = pytest.mark.parametrize("lookahead", MODES)


def ran_on(robot: RobotClient, run_id: str) -> list[str]:
    return [
        c.commandType
        for c in robot.iter_commands(run_id)
        if c.commandType != "waitForResume" and c.startedAt is not None
    ]


POSTS = {
    "post-truncated": lambda: at_post(5, "TRUNCATE"),
    "post-cut-in-flight": lambda: at_post(12, "DROP_IN_FLIGHT"),
    "post-cut-before": lambda: at_post(14, "DROP_REQUEST"),
    "post-cut-after": lambda: at_post(20, "DROP_RESPONSE"),
    "post-answer-withheld": lambda: at_post(9, "WITHHOLD"),  # ended by the read timeout (3 s)
}
GETS = {  # a waited run makes no GET of a command unless one is late
    "get-truncated": lambda: at_get(3, "TRUNCATE"),
    "get-cut-after": lambda: at_get(4, "DROP_RESPONSE"),
    "get-answer-withheld": lambda: at_get(5, "WITHHOLD"),
}


@pytest.mark.parametrize(
    ("make_plan", "lookahead"),
    [
        *(pytest.param(make, 8, id=f"{name}-lookahead") for name, make in POSTS.items()),
        *(pytest.param(make, 0, id=f"{name}-waited") for name, make in POSTS.items()),
        *(pytest.param(make, 8, id=f"{name}-lookahead") for name, make in GETS.items()),
    ],
)
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_broken_answer_is_ridden_out_every_command_once_in_order(
    robot: RobotClient,
    proxy: FaultProxy,
    protocol: Path,
    make_plan: Callable[[], At],
    lookahead: int,
) -> None:
    proxy.plan = plan = make_plan()
    issued: list[str] = []
    report = run_through(proxy, protocol, issued, lookahead)
    assert plan.fired
    run = robot.get_run(report.robot_run_id)
    assert (run.status, run.current) == ("succeeded", False)
    assert ran_on(robot, run.id) == issued


@both
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_post_that_lands_late_never_runs_twice(
    robot: RobotClient, proxy: FaultProxy, protocol: Path, lookahead: int
) -> None:
    """The 9th post is held 4 s (past the read timeout) and then forwarded after its copy: the
    run either completes with each command once, or stops before anything runs twice."""
    proxy.plan = at_post(9, 4.0)
    issued: list[str] = []
    try:
        report = run_through(proxy, protocol, issued, lookahead)
    except ProtocolFailed as failed:
        assert "LateDuplicate" in str(failed)
        run = robot.list_runs()[-1]
        assert run.is_done and not run.current
        ran = ran_on(robot, run.id)
        assert ran == issued[: len(ran)]
        return
    assert ran_on(robot, report.robot_run_id) == issued


@both
@pytest.mark.parametrize("seconds", [1.0, 5.0, pytest.param(10.0, marks=pytest.mark.slow)])
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_an_outage_shorter_than_the_grace_period_is_ridden_out(
    robot: RobotClient, proxy: FaultProxy, protocol: Path, seconds: float, lookahead: int
) -> None:
    proxy.plan = at_post(17, lambda: proxy.outage(seconds) or "DROP_REQUEST")
    issued: list[str] = []
    report = run_through(proxy, protocol, issued, lookahead)
    run = robot.get_run(report.robot_run_id)
    assert (run.status, run.current) == ("succeeded", False)
    assert ran_on(robot, run.id) == issued


@both
def test_a_refused_post_fails_at_its_line_and_nothing_after_it_runs(
    robot: RobotClient, proxy: FaultProxy, protocol: Path, lookahead: int
) -> None:
    # Waited, the 6th command's post (holds are not counted: robot-server refuses a hold only
    # when it refuses the play behind it too, its run ended).
    proxy.plan = at_post(12, "REFUSE") if lookahead else At("POST", "waitUntil", 6, "REFUSE")
    issued: list[str] = []
    with pytest.raises(ProtocolFailed) as failed:
        run_through(proxy, protocol, issued, lookahead)
    run = robot.list_runs()[-1]
    assert run.is_done and not run.current
    ran = ran_on(robot, run.id)
    assert ran == issued[: len(ran)] and len(ran) < 12
    assert failed.value.line in ((10, 11, 12, 13) if lookahead else (10,))  # waited: aspirate
    assert f"the robot ran {len(ran)} commands" in str(failed.value)


@both
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_robot_that_restarted_is_reported_unreachable(
    robot: RobotClient, proxy: FaultProxy, protocol: Path, start_emulator: Any, lookahead: int
) -> None:
    restarted = start_emulator()

    def restart() -> Action:
        proxy.upstream = ("127.0.0.1", restarted.port)
        proxy.stop()
        proxy.start()
        return "DROP_REQUEST"

    proxy.plan = at_post(15, restart)
    with pytest.raises(RobotUnreachable) as lost:
        run_through(proxy, protocol, [], lookahead)
    assert isinstance(lost.value, RunLost), lost.value
    assert "restarted" in str(lost.value)


@both
@pytest.mark.parametrize("action", ["DROP_RESPONSE", "TRUNCATE", "WITHHOLD", "DROP_REQUEST"])
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_a_broken_run_creation_leaves_one_run_that_runs_whole(
    robot: RobotClient, proxy: FaultProxy, protocol: Path, action: Action, lookahead: int
) -> None:
    """POST /runs has no key: the run the robot made anyway is found and used, not left idle
    and current (which would refuse the next run)."""
    before = {run.id for run in robot.list_runs()}
    proxy.plan = At("POST", "/runs", 1, action)
    issued: list[str] = []
    report = run_through(proxy, protocol, issued, lookahead)
    assert proxy.plan.fired
    made = [run for run in robot.list_runs() if run.id not in before]
    assert [run.id for run in made] == [report.robot_run_id]
    assert (made[0].status, made[0].current) == ("succeeded", False)
    assert ran_on(robot, made[0].id) == issued
