"""The httpx boundary: robot URLs, request arguments, error translation."""

from __future__ import annotations

import httpx

from otlink.client import ClientOptions
from otlink.client.steps import Request
from otlink.client.transport import client_settings, http_arguments, robot_url, translate


def test_robot_urls() -> None:
    assert robot_url("10.0.0.5") == "http://10.0.0.5:31950"
    assert robot_url("ot2.local", 8080) == "http://ot2.local:8080"
    assert robot_url("http://127.0.0.1:5000") == "http://127.0.0.1:5000"
    assert robot_url("10.0.0.5:1234") == "http://10.0.0.5:1234"


def test_settings_send_the_version_header() -> None:
    assert client_settings("http://r:1", ClientOptions())["headers"] == {"Opentrons-Version": "3"}


def test_arguments_carry_only_what_is_set() -> None:
    options = ClientOptions(timeout=7)
    assert http_arguments(Request("GET", "/health"), options) == {}
    arguments = http_arguments(Request("POST", "/c", json={"a": 1}, read_timeout=99), options)
    assert arguments["json"] == {"a": 1} and arguments["timeout"].read == 99


def test_translation_says_whether_the_request_may_have_arrived() -> None:
    request = Request("POST", "/runs")
    refused = translate(httpx.ConnectError("refused"), request, "http://10.0.0.5:31950")
    assert refused.host == "10.0.0.5:31950" and not refused.maybe_sent
    assert "POST /runs" in str(refused) and "refused" in str(refused)
    cut = translate(httpx.RemoteProtocolError("closed"), request, "http://10.0.0.5:31950")
    assert cut.maybe_sent
