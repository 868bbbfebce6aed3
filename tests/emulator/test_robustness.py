"""Bad input never gets a 500 and never kills the server: a 4xx in robot-server's error shape."""

from __future__ import annotations

import socket

import httpx
import pytest

from robot_http import end_run, new_run


def assert_error_shape(response: httpx.Response, status: int) -> list[dict]:
    assert response.status_code == status, response.text
    errors = response.json()["errors"]
    for error in errors:
        assert {"id", "title", "detail", "errorCode"} <= set(error)
    return errors


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{not json", 422),
        (b"", 422),
        (b"[]", 422),
        (b"null", 422),
        (b'{"data": 5}', 422),
        (b'{"data": {"commandType": 5}}', 422),
        # Not UTF-8 at all: FastAPI cannot parse it, and robot-server answers BadRequest.
        ("é".encode("latin-1"), 400),
    ],
)
def test_malformed_command_bodies(robot: httpx.Client, body: bytes, status: int) -> None:
    run_id = new_run(robot)
    response = robot.post(
        f"/runs/{run_id}/commands", content=body, headers={"Content-Type": "application/json"}
    )
    assert_error_shape(response, status)
    end_run(robot, run_id)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/runs", {"data": {"labwareOffsets": "none"}}),
        ("POST", "/runs", {"data": {"protocolId": 7}}),
        ("PATCH", "/runs/x", {"nodata": True}),
        ("POST", "/runs/x/actions", {"data": {"actionType": "dance"}}),
        ("POST", "/maintenance_runs", {"data": {"labwareOffsets": [{"vector": 1}]}}),
        ("POST", "/commands", {"data": {"commandType": "home", "params": {"axes": ["w"]}}}),
    ],
)
def test_wrong_types_are_422(robot: httpx.Client, method: str, path: str, body: dict) -> None:
    assert_error_shape(robot.request(method, path, json=body), 422)


def test_version_header_rules(emulator) -> None:  # type: ignore[no-untyped-def]
    with httpx.Client(base_url=emulator.url) as bare:
        missing = bare.get("/runs")
        assert missing.status_code == 422
        assert missing.json()["errors"][0]["source"] == {"header": "opentrons-version"}
        assert missing.json()["errors"][0]["detail"] == "field required"
        assert bare.get("/runs", headers={"Opentrons-Version": "99"}).status_code == 200
        assert bare.get("/runs", headers={"Opentrons-Version": "*"}).status_code == 200
        outdated = bare.get("/runs", headers={"Opentrons-Version": "1"})
        assert outdated.status_code == 400
        assert outdated.json()["errors"][0]["id"] == "OutdatedAPIVersion"
        assert bare.get("/runs", headers={"Opentrons-Version": "abc"}).status_code == 422


def test_unknown_routes_and_methods(robot: httpx.Client) -> None:
    assert_error_shape(robot.get("/no/such/route"), 404)
    assert_error_shape(robot.put("/runs"), 405)


def test_a_huge_body_is_refused_and_the_server_lives_on(emulator, robot: httpx.Client) -> None:  # type: ignore[no-untyped-def]
    with socket.create_connection((emulator.host, emulator.port)) as raw:
        raw.sendall(
            b"POST /runs HTTP/1.1\r\nHost: localhost\r\nOpentrons-Version: 4\r\n"
            b"Content-Length: 209715200\r\n\r\n{}"
        )
        answer = b""
        while b'"errorCode"' not in answer and (chunk := raw.recv(65536)):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 413") and b'"RequestEntityTooLarge"' in answer
    # A body that streams past the limit without declaring its length.
    chunk = b"x" * (1024 * 1024)

    def stream():  # type: ignore[no-untyped-def]
        for _ in range(110):
            yield chunk

    with httpx.Client(
        base_url=emulator.url, headers={"Opentrons-Version": "4"}, timeout=60
    ) as client:
        streamed = client.post("/runs", content=stream())
    assert_error_shape(streamed, 413)
    assert robot.get("/runs").status_code == 200


def test_a_client_that_hangs_up_mid_request_does_not_hurt(emulator, robot: httpx.Client) -> None:  # type: ignore[no-untyped-def]
    for _ in range(20):
        with socket.create_connection((emulator.host, emulator.port)) as raw:
            raw.sendall(
                b"POST /runs HTTP/1.1\r\nHost: localhost\r\nOpentrons-Version: 4\r\n"
                b"Content-Length: 1000\r\n\r\n{"
            )
    assert robot.get("/runs").status_code == 200


def test_an_unexpected_error_is_a_500_in_the_robots_shape_and_keeps_the_connection() -> None:
    import threading

    import uvicorn

    from otlink.emulator import create_app, free_port

    app = create_app()

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("kaput")

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="critical"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            threading.Event().wait(0.05)
        events: list[str] = []

        def trace(name: str, info: dict) -> None:
            events.append(name)

        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, headers={"Opentrons-Version": "4"}) as client:
            failed = client.get("/boom", extensions={"trace": trace})
            error = assert_error_shape(failed, 500)[0]
            assert error["id"] == "UnexpectedError" and "kaput" in error["detail"]
            assert client.get("/runs", extensions={"trace": trace}).status_code == 200
        # One TCP connection served both requests.
        assert events.count("connection.connect_tcp.complete") == 1
    finally:
        server.should_exit = True
        thread.join(10)


def test_browsers_on_this_machine_may_call_it(robot: httpx.Client) -> None:
    preflight = robot.options(
        "/runs",
        headers={
            "Origin": "http://localhost:3000",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "opentrons-version,content-type",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]
    simple = robot.get("/runs", headers={"Origin": "http://localhost:3000"})
    assert simple.headers["access-control-allow-origin"] in ("*", "http://localhost:3000")
