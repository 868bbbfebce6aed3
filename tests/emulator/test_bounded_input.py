"""Input a robot never gets is refused with a 4xx; the emulator's memory and disk stay bounded."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import uuid
from pathlib import Path

import httpx
import pytest

from otlink.emulator.body_limit import MAX_JSON_BYTES, MAX_JSON_DEPTH, MAX_UPLOAD_BYTES
from otlink.emulator.child_process import EmulatorProcess
from robot_http import end_run, new_run


def deep(depth: int) -> str:
    return '{"a":' * depth + "1" + "}" * depth


def command_with(extra: str) -> str:
    return (
        '{"data": {"commandType": "comment", "params": {"message": "x", "extra": ' + extra + "}}}"
    )


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 5_000, 200_000])
@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_deeply_nested_json_is_refused_everywhere(robot: httpx.Client, depth: int) -> None:
    run_id = new_run(robot)
    maintenance = robot.post("/maintenance_runs", json={"data": {}}).json()["data"]["id"]
    posts = {
        f"/runs/{run_id}/commands": command_with(deep(depth)),
        f"/maintenance_runs/{maintenance}/commands": command_with(deep(depth)),
        "/commands": command_with(deep(depth)),
        "/runs": '{"data": {"labwareOffsets": [' + deep(depth) + "]}}",
        f"/runs/{run_id}/labware_definitions": '{"data": ' + deep(depth) + "}",
        "/otlink/faults": '{"data": {"rules": [' + deep(depth) + "]}}",
    }
    for path, body in posts.items():
        response = robot.post(path, content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 422, (path, response.text[:300])
        (error,) = response.json()["errors"]
        assert error["id"] == "InvalidRequest" and f"at most {MAX_JSON_DEPTH}" in error["detail"]
    robot.delete(f"/maintenance_runs/{maintenance}")
    end_run(robot, run_id)


def test_json_nested_within_the_limit_and_brackets_in_strings_are_fine(robot: httpx.Client) -> None:
    run_id = new_run(robot)
    message = "[" * 10_000 + "{" * 10_000
    body = command_with(deep(MAX_JSON_DEPTH - 4)).replace('"x"', f'"{message}"')
    response = robot.post(
        f"/runs/{run_id}/commands",
        params={"waitUntilComplete": "true"},
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text[:300]
    assert response.json()["data"]["params"]["message"] == message
    end_run(robot, run_id)


def test_json_bodies_are_limited_far_below_uploads(robot: httpx.Client) -> None:
    assert MAX_JSON_BYTES * 4 <= MAX_UPLOAD_BYTES <= 50 * 1024 * 1024
    run_id = new_run(robot)
    big = command_with('"' + "x" * (MAX_JSON_BYTES + 1) + '"')
    response = robot.post(
        f"/runs/{run_id}/commands", content=big, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["id"] == "RequestEntityTooLarge"
    end_run(robot, run_id)


def _memory_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(field)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_concurrent_huge_uploads_are_refused_with_bounded_memory() -> None:
    server = EmulatorProcess()
    try:
        pid = server.process.pid
        before = _memory_kb(pid, "VmRSS")
        payload = b"# " + b"x" * (MAX_UPLOAD_BYTES + 1024) + b"\n"
        statuses: list[int] = []

        def post() -> None:
            with httpx.Client(base_url=server.url, timeout=120) as client:
                response = client.post(
                    "/protocols",
                    headers={"Opentrons-Version": "*"},
                    files={"files": ("huge.py", payload)},
                )
                statuses.append(response.status_code)

        posters = [threading.Thread(target=post) for _ in range(4)]
        for poster in posters:
            poster.start()
        for poster in posters:
            poster.join(180)
        assert statuses == [413] * 4
        peak_growth_mb = (_memory_kb(pid, "VmHWM") - before) / 1024
        assert peak_growth_mb < 300, f"peak memory grew by {peak_growth_mb:.0f} MB"
        with httpx.Client(base_url=server.url, headers={"Opentrons-Version": "*"}) as client:
            assert client.get("/health").status_code == 200
    finally:
        server.stop()


def test_unknown_ids_are_404s(robot: httpx.Client) -> None:
    maintenance = robot.post("/maintenance_runs", json={"data": {}}).json()["data"]["id"]
    response = robot.get(f"/maintenance_runs/{maintenance}/commands/no-such-command")
    assert response.status_code == 404
    (error,) = response.json()["errors"]
    assert error["id"] == "CommandNotFound" and "no-such-command" in error["detail"]
    robot.delete(f"/maintenance_runs/{maintenance}")


def test_no_real_host_identifier_is_shown(robot: httpx.Client) -> None:
    node = uuid.getnode()
    real = ":".join(f"{(node >> shift) & 0xFF:02X}" for shift in range(40, -8, -8))
    interfaces = robot.get("/networking/status").json()["interfaces"]
    for interface in interfaces.values():
        assert interface["macAddress"] != real
        assert int(interface["macAddress"][:2], 16) & 0x02  # locally administered: made up


@pytest.mark.slow
def test_a_killed_emulators_files_are_removed_at_the_next_start() -> None:
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = Path(tempfile.mkdtemp(prefix="otlink-emulator-"))
    (stale / "owner.pid").write_text(str(dead.pid))
    (stale / "protocols").mkdir()
    (stale / "protocols" / "uploaded.py").write_text("secret = 1\n")
    alive = Path(tempfile.mkdtemp(prefix="otlink-emulator-"))
    (alive / "owner.pid").write_text(str(os.getpid()))  # a running owner: kept
    server = EmulatorProcess()
    try:
        assert not stale.exists()
        assert alive.exists()
    finally:
        server.stop()
        (alive / "owner.pid").unlink()
        alive.rmdir()
