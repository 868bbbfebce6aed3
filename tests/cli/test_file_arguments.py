"""Every command-line argument that names a file, given no file to read (a folder, a missing
file, a link to nothing, an empty file), and any other usage mistake: one ``error:`` line and
one ``hint:`` line (under ``--json`` one object with a hint), exit 2, before anything loads or a
robot is asked (the robot given here is an address where nothing listens).

An unreadable file cannot be made with permissions here (the tests run as root, who reads a
``chmod 000`` file), so what a file holds that cannot be read (bytes that are not UTF-8, a
workbook that is no zip) is given as content: see test_unreadable_content_is_named."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from test_run import PROTOCOLS, otlink

from otlink.cli.main import cli
from otlink.emulator.child_process import EmulatorProcess

NOWHERE = "127.0.0.1:9"
TRANSFER = str(PROTOCOLS / "transfer_220.py")
CSV_PROTOCOL = str(PROTOCOLS / "plate_map_csv.py")
WORKLISTS = Path(__file__).parents[1] / "worklist" / "data"
WORKLIST = str(WORKLISTS / "falcon_to_axygen.csv")
DECK = str(WORKLISTS / "falcon_deck.toml")

#: each command line, with {} where the file goes
COMMANDS = [
    ["run", "{}", "--robot", NOWHERE],
    ["run", "{}", "--upload", "--robot", NOWHERE],
    ["run", TRANSFER, "--offsets", "{}", "--robot", NOWHERE],
    ["run", TRANSFER, "--labware", "{}", "--robot", NOWHERE],
    ["run", CSV_PROTOCOL, "--data", "plate_map={}", "--robot", NOWHERE],
    ["deck", "{}", "-o", "deck.svg"],
    ["deck", TRANSFER, "--labware", "{}", "-o", "deck.svg"],
    ["worklist", "check", "{}", "--deck", DECK],
    ["worklist", "check", WORKLIST, "--deck", "{}"],
    ["worklist", "run", "{}", "--deck", DECK, "--robot", NOWHERE],
    ["runs", "report", "RUN", "--protocol", "{}", "-o", "report.html", "--robot", NOWHERE],
]

COMMAND_IDS = [" ".join(arg for arg in command if "/" not in arg) for command in COMMANDS]


def make_folder(tmp: Path) -> tuple[Path, str]:
    (tmp / "plate.json").write_text("{}")
    return tmp, "is a folder"


def make_missing(tmp: Path) -> tuple[Path, str]:
    return tmp / "missing.json", "no such"


def make_broken_link(tmp: Path) -> tuple[Path, str]:
    (tmp / "link.json").symlink_to(tmp / "gone.json")
    return tmp / "link.json", "gone.json, which does not exist"


def make_empty(tmp: Path) -> tuple[Path, str]:
    (tmp / "empty.json").write_text("")
    return tmp / "empty.json", "is empty"


KINDS: dict[str, Callable[[Path], tuple[Path, str]]] = {
    "folder": make_folder,
    "missing": make_missing,
    "broken-link": make_broken_link,
    "empty": make_empty,
}


def invoke(args: list[str]) -> Result:
    return CliRunner().invoke(cli, args, prog_name="otlink")


def two_lines(result: Result) -> list[str]:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["error", "hint"], result.stderr
    return lines


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "command", COMMANDS, ids=[" ".join(a for a in c if "/" not in a) for c in COMMANDS]
)
def test_no_file_to_read_is_told_in_two_lines(
    tmp_path: Path, command: list[str], kind: str
) -> None:
    path, says = KINDS[kind](tmp_path)
    if kind == "folder" and "--labware" in command:
        # A folder of labware definitions is fine: one without any is not.
        path, says = tmp_path / "labware", "no labware definition (.json files)"
        path.mkdir()
    error, hint = two_lines(invoke([arg.replace("{}", str(path)) for arg in command]))
    assert says in error and str(path.name) in error
    assert len(hint) > len("hint: ")


def test_a_folder_lists_the_files_it_holds(tmp_path: Path) -> None:
    (tmp_path / "transfer.py").write_text("")
    error, hint = two_lines(invoke(["deck", str(tmp_path), "-o", "deck.svg"]))
    assert error == f"error: {tmp_path} is a folder, not a protocol file"
    assert hint == "hint: give the protocol file itself (in it: transfer.py)"


@pytest.mark.parametrize(
    ("args", "says", "usage"),
    [
        (["run"], "Missing argument 'PROTOCOL'", "otlink run [OPTIONS] PROTOCOL"),
        (["run", TRANSFER, "--lookahead", "x"], "'x' is not a valid", "otlink run"),
        (["runs", "nosuch"], "No such command 'nosuch'", "otlink runs [OPTIONS] COMMAND"),
        (["--bogus"], "No such option '--bogus'", "otlink [OPTIONS] COMMAND"),
        (["run", TRANSFER, "--detach", "--robot", NOWHERE], "--detach goes with --upload", ""),
    ],
)
def test_a_usage_mistake_gives_the_usage_as_its_hint(
    args: list[str], says: str, usage: str
) -> None:
    error, hint = two_lines(invoke(args))
    assert says in error
    assert hint.startswith(f"hint: usage: {usage}") and "--help says more" in hint


@pytest.mark.parametrize(
    "args",
    [["run", "{}", "--robot", NOWHERE, "--json"], ["runs", "list", "--format", "json", "--bad"]],
)
def test_under_json_a_usage_mistake_is_one_object_with_a_hint(
    tmp_path: Path, args: list[str]
) -> None:
    result = invoke([arg.replace("{}", str(tmp_path)) for arg in args])
    assert result.exit_code == 2 and not result.stderr
    record = json.loads(result.stdout)
    assert record["exitCode"] == 2 and record["hint"]
    assert record["errorType"] in ("InputFileError", "UsageError")


@pytest.mark.slow  # over 1 s: otlink started as a user starts it, and the robot's file reads
def test_unreadable_content_is_named(tmp_path: Path, emulator: EmulatorProcess) -> None:
    not_text = tmp_path / "plate.json"
    not_text.write_bytes(b"\xff\xfe\x00 not a definition \xc3\x28")
    result = otlink("run", TRANSFER, "--robot", emulator.url, "--labware", str(not_text))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    error, hint = result.stderr.strip().splitlines()
    assert error == "error: plate.json is not text (invalid start byte at byte 0)"
    assert hint == "hint: it should hold a labware definition as JSON: is this the right file?"
    workbook = tmp_path / "rows.xlsx"
    workbook.write_bytes(b"PK\x03\x04 no workbook")
    result = otlink("worklist", "check", str(workbook), "--deck", DECK)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "rows.xlsx is not an Excel workbook" in result.stderr
    result = otlink("deck", str(tmp_path), "-o", str(tmp_path / "deck.svg"))
    assert result.returncode == 2 and result.stderr.count("\n") == 2, result.stderr
