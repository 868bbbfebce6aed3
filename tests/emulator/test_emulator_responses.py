"""Rendering of answers: JSON rendered elsewhere is spliced in where it stands, as it is."""

from __future__ import annotations

import json

from otlink.emulator.responses import RawJson, to_json


def test_raw_json_is_spliced_where_it_stands() -> None:
    body = {"id": "a", "commands": RawJson('[{"x": 1}, {"y": [2, 3]}]'), "errors": []}
    assert to_json(body) == '{"id": "a", "commands": [{"x": 1}, {"y": [2, 3]}], "errors": []}'


def test_text_that_looks_like_the_splice_stays_text() -> None:
    body = {"note": "otlink-raw-json-", "raw": RawJson("7"), "list": [RawJson("[]"), "otlink"]}
    assert json.loads(to_json(body)) == {
        "note": "otlink-raw-json-",
        "raw": 7,
        "list": [[], "otlink"],
    }
