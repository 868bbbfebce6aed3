"""Protocols that sleep, loop, block, exit, compute, write files or are large fail themselves, never
the virtual OT-2.

They are read, loaded and analysed in child processes with a time limit (3 s here): the analysis
or the run creation fails with an error saying what happened. Runs execute in the server, where
the calls that would end its process fail the run instead, and so does protocol code that runs
over its limit (6 s here; 4 s for the patient emulator) without a Protocol API call. /health keeps
answering throughout.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from health_watch import HealthWatch
from otlink.emulator.child_process import EmulatorProcess
from protocol_http import upload, wait_for_analysis
from robot_http import end_run, wait_for_status

# Protocols run into time limits, and emulators start for each Ctrl-C case: slow tier.
pytestmark = pytest.mark.slow

HEADER = "requirements = {'robotType': 'OT-2', 'apiLevel': '2.20'}\nimport os, time\n"
TIME_LIMIT = "3"
CODE_LIMIT = "6"


@pytest.fixture(scope="module")
def hostile() -> Iterator[EmulatorProcess]:
    # --fast: the limit on protocol code counts real time all the same.
    server = EmulatorProcess(
        fast=True, args=("--protocol-time-limit", TIME_LIMIT, "--protocol-code-limit", CODE_LIMIT)
    )
    yield server
    server.stop()


@pytest.fixture
def robot(hostile: EmulatorProcess) -> Iterator[httpx.Client]:
    watch = HealthWatch(hostile.url)
    with httpx.Client(base_url=hostile.url, headers={"Opentrons-Version": "*"}, timeout=60) as c:
        yield c
    watch.stop()


def analysis_error(robot: httpx.Client, body: str) -> str:
    protocol = upload(robot, {f"hostile_{uuid.uuid4().hex[:8]}.py": HEADER + body})
    analysis = wait_for_analysis(robot, protocol["id"], timeout=60)
    assert analysis["result"] == "not-ok"
    (error,) = analysis["errors"]
    detail: str = error["detail"]
    return detail


@pytest.mark.parametrize(
    "body",
    [
        "time.sleep(600)\ndef run(ctx):\n    pass\n",
        "def run(ctx):\n    time.sleep(600)\n",
        "while True:\n    pass\ndef run(ctx):\n    pass\n",
        "def run(ctx):\n    while True:\n        ctx.comment('x') if False else None\n",
    ],
    ids=["sleep-at-import", "sleep-in-run", "loop-at-import", "loop-in-run"],
)
def test_a_protocol_that_never_ends_fails_its_analysis(robot: httpx.Client, body: str) -> None:
    detail = analysis_error(robot, body)
    assert f"ran for more than {TIME_LIMIT} s" in detail and "stopped it" in detail


@pytest.mark.parametrize(
    "body",
    [
        "os._exit(3)\ndef run(ctx):\n    pass\n",
        "def run(ctx):\n    os._exit(0)\n",
        "def run(ctx):\n    os.kill(os.getpid(), 9)\n",
        "def run(ctx):\n    os.kill(0, 9)\n",  # its process group: the sandbox's alone
    ],
    ids=["exit-at-import", "exit-in-run", "kill-in-run", "kill-group-in-run"],
)
def test_a_protocol_that_ends_its_process_fails_its_analysis(
    robot: httpx.Client, body: str
) -> None:
    assert "ended the Python process running it" in analysis_error(robot, body)


def test_an_ordinary_exit_is_the_protocols_own_error(robot: httpx.Client) -> None:
    detail = analysis_error(robot, "import sys\ndef run(ctx):\n    sys.exit(4)\n")
    assert "SystemExit(4,)" in detail


def test_files_a_protocol_writes_stay_out_of_the_servers_directory(robot: httpx.Client) -> None:
    name = f"otlink-hostile-{uuid.uuid4().hex}.txt"
    body = (
        f"open({name!r}, 'w').write('top')\ndef run(ctx):\n    open({name!r}, 'a').write('run')\n"
    )
    protocol = upload(robot, {"writer.py": HEADER + body})
    assert wait_for_analysis(robot, protocol["id"])["result"] == "ok"
    assert not Path(name).exists()  # the emulator runs in this test's directory


def run_to_its_end(robot: httpx.Client, body: str) -> dict[str, object]:
    """Upload ``body``, run it to its end, archive the run; the run as it ended."""
    protocol = upload(robot, {f"run_{uuid.uuid4().hex[:8]}.py": HEADER + body})
    created = robot.post("/runs", json={"data": {"protocolId": protocol["id"]}})
    assert created.status_code == 201, created.text
    run_id = created.json()["data"]["id"]
    played = robot.post(f"/runs/{run_id}/actions", json={"data": {"actionType": "play"}})
    assert played.status_code == 201, played.text
    ended = wait_for_status(robot, run_id, {"succeeded", "failed", "stopped"})
    end_run(robot, run_id)
    return ended


def run_error(robot: httpx.Client, body: str) -> str:
    run = run_to_its_end(robot, body)
    assert run["status"] == "failed", run
    (error,) = run["errors"]  # type: ignore[misc]
    return str(error["detail"]) + "".join(str(w["detail"]) for w in error["wrappedErrors"])


@pytest.mark.parametrize(
    ("call", "shown"),
    [
        ("os._exit(3)", "os._exit(3)"),
        ("os.abort()", "os.abort()"),
        ("os.kill(os.getpid(), 9)", "os.kill("),
        ("os.kill(0, signal.SIGTERM)", "os.kill(0, signal.SIGTERM)"),
        ("os.killpg(os.getpgrp(), signal.SIGKILL)", "os.killpg("),
        ("signal.raise_signal(signal.SIGINT)", "signal.raise_signal(signal.SIGINT)"),
        ("_thread.interrupt_main()", "_thread.interrupt_main()"),
        ("os.execv(sys.executable, ['python', '-c', 'pass'])", "os.execv("),
        ("sys.exit(4)", "raise SystemExit(4,)"),
        ("raise KeyboardInterrupt", "raise KeyboardInterrupt()"),
    ],
)
def test_a_run_that_would_end_the_server_fails_instead(
    robot: httpx.Client, call: str, shown: str
) -> None:
    body = (
        "import _thread, signal, sys\n"
        f"def run(ctx):\n    ctx.comment('before')\n    {call}\n    ctx.comment('after')\n"
    )
    detail = run_error(robot, body)
    assert f"The protocol called {shown}" in detail, detail
    assert "a protocol cannot end the virtual OT-2's process" in detail
    # The virtual OT-2 lives on, and runs the next protocol.
    assert run_to_its_end(robot, "def run(ctx):\n    ctx.comment('next')\n")["status"] == (
        "succeeded"
    )


def test_files_a_run_writes_stay_out_of_the_servers_directory(robot: httpx.Client) -> None:
    name = f"otlink-hostile-run-{uuid.uuid4().hex}.txt"
    body = f"def run(ctx):\n    open({name!r}, 'w').write('run')\n"
    assert run_to_its_end(robot, body)["status"] == "succeeded"
    assert not Path(name).exists()  # the emulator was started in this test's directory


def test_a_run_of_a_protocol_that_hangs_while_loading_is_refused(robot: httpx.Client) -> None:
    protocol = upload(robot, {"hang.py": HEADER + "time.sleep(600)\ndef run(ctx):\n    pass\n"})
    started = time.monotonic()
    response = robot.post("/runs", json={"data": {"protocolId": protocol["id"]}})
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert error["id"] == "ProtocolStopped" and "ran for more than" in error["detail"]
    assert time.monotonic() - started < 30


def test_a_run_of_a_protocol_that_sleeps_at_its_top_level_keeps_the_server_answering(
    robot: httpx.Client,
) -> None:
    # Below the time limit: the sandbox loads it, sleep and all; the server's own load of its top
    # level (on the event loop) must not sleep, which the robot fixture's /health watch would see.
    body = "time.sleep(2)\ndef run(ctx):\n    ctx.comment('ran')\n"
    assert run_to_its_end(robot, body)["status"] == "succeeded"


BLOCKED = "__import__('threading').Event().wait()"  # a wait that no exception enters


@pytest.mark.parametrize(
    "forever",
    ["while True:\n        pass", "time.sleep(3600)", BLOCKED],
    ids=["loop", "sleep", "blocked"],
)
def test_stopping_a_run_whose_protocol_loops_or_sleeps_ends_it(
    robot: httpx.Client, forever: str
) -> None:
    body = f"def run(ctx):\n    ctx.comment('looping')\n    {forever}\n"
    protocol = upload(robot, {"spin.py": HEADER + body})
    run = robot.post("/runs", json={"data": {"protocolId": protocol["id"]}}).json()["data"]
    actions = f"/runs/{run['id']}/actions"
    assert robot.post(actions, json={"data": {"actionType": "play"}}).status_code == 201
    deadline = time.monotonic() + 30
    while "looping" not in str(robot.get(f"/runs/{run['id']}/commands").json()["data"]):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert robot.post(actions, json={"data": {"actionType": "stop"}}).status_code == 201
    while robot.get(f"/runs/{run['id']}").json()["data"]["status"] != "stopped":
        assert time.monotonic() < deadline, "the protocol's run never stopped"
        time.sleep(0.1)
    robot.patch(f"/runs/{run['id']}", json={"data": {"current": False}})


@pytest.mark.parametrize(
    "own_code",
    [
        "while True:\n        pass",
        "time.sleep(3600)",
        "from time import sleep\n    sleep(3600)",
        "while True:\n        try:\n            time.sleep(1)\n"
        "        except Exception:\n            pass",
        BLOCKED,
    ],
    ids=["loop", "sleep", "sleep-imported", "loop-catching-exceptions", "blocked"],
)
def test_protocol_code_over_its_limit_fails_the_run(robot: httpx.Client, own_code: str) -> None:
    detail = run_error(robot, f"def run(ctx):\n    ctx.comment('x')\n    {own_code}\n")
    assert f"The protocol's own code ran {CODE_LIMIT} s without a Protocol API call" in detail
    assert "--protocol-code-limit SECONDS" in detail, detail
    assert "line " in detail  # where it was stopped


def test_the_limit_also_holds_below_api_2_14(robot: httpx.Client) -> None:
    legacy = "metadata = {'apiLevel': '2.13'}\nimport time\n"
    protocol = upload(robot, {"legacy_sleep.py": legacy + "def run(ctx):\n    time.sleep(3600)\n"})
    run = robot.post("/runs", json={"data": {"protocolId": protocol["id"]}}).json()["data"]
    robot.post(f"/runs/{run['id']}/actions", json={"data": {"actionType": "play"}})
    ended = wait_for_status(robot, run["id"], {"succeeded", "failed", "stopped"})
    end_run(robot, run["id"])
    assert ended["status"] == "failed"
    assert "without a Protocol API call" in str(ended["errors"])


def test_time_in_the_protocol_api_does_not_count_against_the_limit(robot: httpx.Client) -> None:
    # 8 s of the protocol's own code in all, never 6 s at a stretch; then a pause of 7 s.
    body = (
        "def run(ctx):\n    for i in range(4):\n        time.sleep(2)\n"
        "        ctx.comment(str(i))\n    ctx.pause('wait')\n    ctx.comment('resumed')\n"
    )
    protocol = upload(robot, {"patient.py": HEADER + body})
    run_id = robot.post("/runs", json={"data": {"protocolId": protocol["id"]}}).json()["data"]["id"]
    actions = f"/runs/{run_id}/actions"
    assert robot.post(actions, json={"data": {"actionType": "play"}}).status_code == 201
    wait_for_status(robot, run_id, {"paused", "failed"}, timeout=60)
    time.sleep(float(CODE_LIMIT) + 1)
    assert robot.post(actions, json={"data": {"actionType": "play"}}).status_code == 201
    ended = wait_for_status(robot, run_id, {"succeeded", "failed", "stopped"})
    end_run(robot, run_id)
    assert ended["status"] == "succeeded", ended["errors"]


@pytest.mark.parametrize("forever", ["time.sleep(3600)", "while True:\n        pass", BLOCKED])
def test_ctrl_c_stops_the_emulator_whatever_the_protocol_does(forever: str) -> None:
    server = EmulatorProcess(args=("--protocol-time-limit", TIME_LIMIT))
    try:
        with httpx.Client(
            base_url=server.url, headers={"Opentrons-Version": "*"}, timeout=60
        ) as robot:
            body = f"def run(ctx):\n    ctx.comment('going')\n    {forever}\n"
            protocol = upload(robot, {"forever.py": HEADER + body})
            run = robot.post("/runs", json={"data": {"protocolId": protocol["id"]}})
            run_id = run.json()["data"]["id"]
            played = robot.post(f"/runs/{run_id}/actions", json={"data": {"actionType": "play"}})
            assert played.status_code == 201
            deadline = time.monotonic() + 30
            while "going" not in str(robot.get(f"/runs/{run_id}/commands").json()["data"]):
                assert time.monotonic() < deadline
                time.sleep(0.1)
    finally:
        output = server.stop()
    assert server.process.returncode == 0, output
    assert "Virtual OT-2 stopped." in output


COMPUTE = "started = time.monotonic()\nwhile time.monotonic() - started < {s}:\n    pass\n"
PARAMETERS = (
    "def add_parameters(parameters):\n"
    "    parameters.add_int(display_name='Volume', variable_name='volume', default=10,"
    " minimum=1, maximum=100)\n"
)


@pytest.fixture(scope="module")
def patient() -> Iterator[EmulatorProcess]:
    """An emulator whose analysis waits long for protocol code, and whose runs wait 4 s."""
    server = EmulatorProcess(args=("--protocol-time-limit", "60", "--protocol-code-limit", "4"))
    yield server
    server.stop()


def test_a_run_of_a_protocol_that_computes_at_its_top_level_keeps_the_server_answering(
    patient: EmulatorProcess,
) -> None:
    # opentrons runs the top level again when it creates the run, on the server's event loop;
    # the virtual OT-2 runs it in a thread, and the run still gets its parameters' values.
    body = (
        COMPUTE.format(s=2.5)
        + PARAMETERS
        + "def run(ctx):\n    ctx.comment(f'v={ctx.params.volume}')\n"
    )
    with httpx.Client(
        base_url=patient.url, headers={"Opentrons-Version": "*"}, timeout=60
    ) as robot:
        protocol = upload(robot, {"compute.py": HEADER + body})
        assert wait_for_analysis(robot, protocol["id"], timeout=60)["result"] == "ok"
        watch = HealthWatch(patient.url)
        data = {"protocolId": protocol["id"], "runTimeParameterValues": {"volume": 42}}
        created = robot.post("/runs", json={"data": data})
        watch.stop()  # raises if /health waited 1.5 s while the run was created
        assert created.status_code == 201, created.text
        run = created.json()["data"]
        (volume,) = run["runTimeParameters"]
        assert volume["value"] == 42 and volume["default"] == 10
        robot.post(f"/runs/{run['id']}/actions", json={"data": {"actionType": "play"}})
        ended = wait_for_status(robot, run["id"], {"succeeded", "failed", "stopped"}, timeout=60)
        comments = str(robot.get(f"/runs/{run['id']}/commands").json()["data"])
        end_run(robot, run["id"])
    assert ended["status"] == "succeeded", ended["errors"]
    assert "v=42" in comments


def test_a_top_level_that_computes_over_the_limit_fails_the_run_creation(
    patient: EmulatorProcess,
) -> None:
    # Under the analysis's limit (60 s), over the run's limit on protocol code (4 s).
    body = COMPUTE.format(s=8) + "def run(ctx):\n    pass\n"
    with httpx.Client(
        base_url=patient.url, headers={"Opentrons-Version": "*"}, timeout=60
    ) as robot:
        protocol = upload(robot, {"long_top.py": HEADER + body})
        assert wait_for_analysis(robot, protocol["id"], timeout=60)["result"] == "ok"
        created = robot.post("/runs", json={"data": {"protocolId": protocol["id"]}})
        assert created.status_code == 422, created.text
        (error,) = created.json()["errors"]
        assert error["id"] == "ProtocolStopped", error
        assert (
            "The protocol's own code ran 4 s without a Protocol API call (line " in error["detail"]
        )
        # The robot stays free for the next run.
        assert robot.post("/runs", json={"data": {}}).status_code == 201


def test_a_large_protocol_file_is_parsed_away_from_the_server(patient: EmulatorProcess) -> None:
    # Parsing Python holds the interpreter about a second per megabyte of code (2 MB here): the
    # upload and the run creation parse in sandboxes, so /health keeps answering meanwhile.
    lines = "".join(f"v{i} = [{i}, {i + 1}, 'abc']\n" for i in range(60_000))
    body = HEADER + lines + "def run(ctx):\n    ctx.comment(f'last={v59999[1]}')\n"
    with httpx.Client(
        base_url=patient.url, headers={"Opentrons-Version": "*"}, timeout=120
    ) as robot:
        watch = HealthWatch(patient.url)
        protocol = upload(robot, {"large.py": body})
        assert wait_for_analysis(robot, protocol["id"], timeout=120)["result"] == "ok"
        created = robot.post("/runs", json={"data": {"protocolId": protocol["id"]}})
        watch.stop()  # raises if /health waited 1.5 s while it was uploaded or its run created
        assert created.status_code == 201, created.text
        run_id = created.json()["data"]["id"]
        robot.post(f"/runs/{run_id}/actions", json={"data": {"actionType": "play"}})
        ended = wait_for_status(robot, run_id, {"succeeded", "failed", "stopped"}, timeout=120)
        comments = str(robot.get(f"/runs/{run_id}/commands").json()["data"])
        end_run(robot, run_id)
    assert ended["status"] == "succeeded", ended["errors"]
    assert "last=60000" in comments


def test_a_long_analysis_is_rendered_away_from_the_server(patient: EmulatorProcess) -> None:
    # Handing 50,000 commands from the sandbox as objects (and rendering them at each GET) held
    # the server 1.5 s and more; the sandbox renders them once, as JSON, spliced into answers.
    body = HEADER + "def run(ctx):\n    for i in range(20_000):\n        ctx.comment(f'c{i}')\n"
    with httpx.Client(
        base_url=patient.url, headers={"Opentrons-Version": "*"}, timeout=120
    ) as robot:
        watch = HealthWatch(patient.url)
        protocol = upload(robot, {"long_analysis.py": body})
        analysis = wait_for_analysis(robot, protocol["id"], timeout=120)
        listed = robot.get(f"/protocols/{protocol['id']}/analyses").json()["data"]
        watch.stop()  # raises if /health waited 1.5 s meanwhile
    assert analysis["result"] == "ok"
    commands = analysis["commands"]
    assert len(commands) == 1 + 20_000  # the initial home
    assert commands[-1]["params"]["message"] == "c19999"
    assert listed[-1]["commands"] == commands
