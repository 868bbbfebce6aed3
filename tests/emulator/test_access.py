"""Only this machine's callers reach the virtual OT-2: foreign web pages and rebinding names do not.

A protocol is a program the emulator runs as the user, so a page in the user's browser must not be
able to upload one: neither by a preflighted request nor by a "simple" cross-site form post, which a
browser sends without asking first.
"""

from __future__ import annotations

import http.client

import httpx
import pytest

from otlink.emulator.child_process import EmulatorProcess

PROTOCOL = b"requirements = {'robotType': 'OT-2', 'apiLevel': '2.16'}\ndef run(ctx):\n    pass\n"


def _refused(response: httpx.Response, error_id: str) -> None:
    assert response.status_code == 403, response.text
    (error,) = response.json()["errors"]
    assert error["id"] == error_id and error["errorCode"] == "4000"
    assert "access-control-allow-origin" not in response.headers


@pytest.mark.parametrize(
    "origin", ["https://evil.example", "null", "http://localhost.evil.example", "file://"]
)
def test_foreign_pages_cannot_upload_protocols(robot: httpx.Client, origin: str) -> None:
    before = len(robot.get("/protocols").json()["data"])
    preflight = robot.options(
        "/protocols",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
    )
    _refused(preflight, "OriginNotAllowed")
    # A multipart form post is a "simple" request: no preflight, so it must be refused itself.
    simple = robot.post(
        "/protocols", headers={"Origin": origin}, files={"files": ("p.py", PROTOCOL)}
    )
    _refused(simple, "OriginNotAllowed")
    assert len(robot.get("/protocols").json()["data"]) == before


def test_loopback_pages_may_call_it(robot: httpx.Client) -> None:
    for origin in ("http://localhost:3000", "http://127.0.0.1:8080", "http://[::1]:5173"):
        preflight = robot.options(
            "/runs",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "opentrons-version,content-type",
            },
        )
        assert preflight.status_code == 200
        assert "POST" in preflight.headers["access-control-allow-methods"]
        assert preflight.headers["access-control-allow-origin"] == origin
        assert "opentrons-version" in preflight.headers["access-control-allow-headers"]
        simple = robot.get("/runs", headers={"Origin": origin})
        assert simple.status_code == 200
        assert simple.headers["access-control-allow-origin"] == origin


def _get_with_host(url: str, host: str) -> tuple[int, bytes]:
    address = httpx.URL(url)
    connection = http.client.HTTPConnection(address.host, address.port, timeout=10)
    try:
        connection.putrequest("GET", "/health", skip_host=True)
        connection.putheader("Host", host)
        connection.putheader("Opentrons-Version", "*")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_dns_rebinding_names_are_refused(emulator: EmulatorProcess) -> None:
    port = httpx.URL(emulator.url).port
    for host in (f"evil.example:{port}", "attacker.test", f"127.0.0.1.nip.io:{port}"):
        status, body = _get_with_host(emulator.url, host)
        assert status == 403, (host, body)
        assert b"HostNotAllowed" in body
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost"):
        assert _get_with_host(emulator.url, host)[0] == 200, host


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_cors_origin_allows_one_more_origin(
    start_emulator: type[EmulatorProcess],
) -> None:
    server = start_emulator("--cors-origin", "https://lab.example:8443")
    with httpx.Client(base_url=server.url, headers={"Opentrons-Version": "*"}) as client:
        allowed = client.get("/health", headers={"Origin": "https://lab.example:8443"})
        assert allowed.headers["access-control-allow-origin"] == "https://lab.example:8443"
        _refused(
            client.get("/health", headers={"Origin": "https://other.example"}), "OriginNotAllowed"
        )
    assert "warning" not in server.stop()


@pytest.mark.slow  # over 1 s in CI: not in the fast tier
def test_cors_origin_star_is_open_like_a_robot_and_says_so(
    start_emulator: type[EmulatorProcess],
) -> None:
    server = start_emulator("--cors-origin", "*")
    with httpx.Client(base_url=server.url, headers={"Opentrons-Version": "*"}) as client:
        answer = client.get("/health", headers={"Origin": "https://anywhere.example"})
        assert answer.status_code == 200
        assert answer.headers["access-control-allow-origin"] == "https://anywhere.example"
    assert _get_with_host(server.url, "any-name.example")[0] == 200
    printed = " ".join(server.stop().split())
    assert "warning: any web page can upload protocols" in printed
    assert "a protocol is a program: it runs as you" in printed
