"""The sans-IO half of the pipelined connection: answers in order, whatever the pieces they
arrive in; an answer cut short is an error, never a short body. No server: bytes in, bytes out."""

from __future__ import annotations

import pytest

from otlink.client import ClientOptions
from otlink.client.steps import Request
from otlink.errors import RobotUnreachable
from otlink.runs.pipeline import Pipeline

ANSWER = (
    b'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{"data":1}\n'
)


def _pipeline(requests: int) -> tuple[Pipeline, list[int]]:
    pipeline = Pipeline("http://127.0.0.1:31950", ClientOptions())
    tickets = [pipeline.encode(Request("GET", f"/runs/{n}"))[0] for n in range(requests)]
    return pipeline, tickets


def test_a_request_is_written_as_http_1_1_with_the_version_header() -> None:
    pipeline = Pipeline("http://127.0.0.1:31950", ClientOptions())
    _, data = pipeline.encode(Request("POST", "/runs/r/commands", json={"data": {}}))
    head = data.split(b"\r\n\r\n")[0].lower()
    assert head.startswith(b"post /runs/r/commands http/1.1")
    assert b"opentrons-version: 3" in head and b"content-length: 11" in head


@pytest.mark.parametrize("piece", [1, 7, 64, 10_000])
def test_answers_come_in_order_whatever_the_pieces(piece: int) -> None:
    pipeline, tickets = _pipeline(3)
    stream = ANSWER * 3
    for at in range(0, len(stream), piece):
        pipeline.feed(stream[at : at + piece])
    assert [pipeline.answers[t].json() for t in tickets] == [{"data": 1}] * 3
    assert not pipeline.pending


def test_an_answer_cut_short_is_an_error() -> None:
    pipeline, _ = _pipeline(1)
    pipeline.feed(ANSWER[:-4])
    with pytest.raises(RobotUnreachable) as broken:
        pipeline.feed(b"")
    assert broken.value.maybe_sent and "GET /runs/0" in str(broken.value)


def test_a_close_before_the_next_answer_is_an_error_for_it_alone() -> None:
    pipeline, tickets = _pipeline(2)
    pipeline.feed(ANSWER)
    with pytest.raises(RobotUnreachable, match="GET /runs/1"):
        pipeline.feed(b"")
    assert tickets[0] in pipeline.answers


def test_garbage_is_an_error() -> None:
    pipeline, _ = _pipeline(1)
    with pytest.raises(RobotUnreachable):
        pipeline.feed(b"SMTP ready\r\n\r\n")
