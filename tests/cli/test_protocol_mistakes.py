"""Protocol files a new user gets wrong, read as ``otlink run`` reads them: each is refused as a
ProtocolFileError with the line to change and the fix (never opentrons' own exception), and the
files that only look odd (Windows line endings, a byte order mark) are read as opentrons reads
them. The same files end in two lines through the CLI in test_mistakes.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from otlink.errors import InputFileError, InvalidInput, ProtocolFileError
from otlink.live.protocol_file import read_protocol

MISTAKES = Path(__file__).with_name("mistakes")

#: file, the line the error points at (None: no line to point at), words of the hint
CASES = [
    ("robot_type_ot4.py", 1, '"robotType": "OT-2"'),
    ("api_level_number.py", 2, "quoted text"),
    ("api_level_2.py", 1, '"MAJOR.MINOR"'),
    ("requirements_extra_key.py", 1, "put the rest in metadata"),
    ("api_level_twice.py", 1, "remove it from metadata"),
    ("api_v1.py", 1, "port it to Protocol API v2"),
    ("no_run.py", None, "def run(protocol):"),
    ("run_without_protocol.py", 4, "def run(protocol):"),
    ("run_two_arguments.py", 4, "def run(protocol):"),
    ("add_parameters_no_argument.py", 4, "def add_parameters(parameters):"),
    ("import_missing.py", 1, "pip install otlink_no_such_module"),
    ("top_level_raises.py", 2, "fix line 2"),
    ("parameter_default_out_of_range.py", 5, "definition at line 5"),
    ("csv_below_2_20.py", 5, '"apiLevel": "2.20"'),
    ("binary.py", None, "not a Python text file"),
    ("protocol.json", None, "--upload"),
]


@pytest.mark.parametrize(("file", "line", "hint"), CASES, ids=[case[0] for case in CASES])
def test_a_malformed_protocol_names_its_line_and_fix(
    file: str, line: int | None, hint: str
) -> None:
    path = MISTAKES / file
    with pytest.raises(ProtocolFileError) as refused:
        read_protocol(path).parameters()
    error = refused.value
    assert (error.file, error.line) == (str(path), line)
    assert hint in (error.hint or ""), error.hint
    assert file in str(error) and "\n" not in str(error)


@pytest.mark.parametrize("file", ["windows_line_endings.py", "byte_order_mark.py"])
def test_line_endings_and_a_byte_order_mark_are_read(file: str) -> None:
    protocol = read_protocol(MISTAKES / file)
    assert str(protocol.api_level) == "2.20" and protocol.parameters() is None


def test_no_file_to_read_is_an_input_error(tmp_path: Path) -> None:
    # The library's readers say it as otlink run does (test_file_arguments.py).
    folder = tmp_path / "protocol.py"
    folder.mkdir()
    (tmp_path / "link.py").symlink_to(tmp_path / "gone.py")
    cases = {
        folder: "is a folder, not a protocol file",
        tmp_path / "missing.py": "no such protocol file",
        tmp_path / "link.py": "gone.py, which does not exist",
        MISTAKES / "empty.py": "empty.py is empty",
    }
    for path, says in cases.items():
        with pytest.raises(InputFileError, match=says) as refused:
            read_protocol(path)
        assert refused.value.hint and refused.value.file == str(path)


def test_the_live_api_refuses_an_api_level_that_is_not_text() -> None:
    import otlink

    for version in ("2", 2.2, "two"):
        with pytest.raises(InvalidInput, match=r"not MAJOR\.MINOR") as refused:
            otlink.get_protocol_api(version, "127.0.0.1:9")  # type: ignore[arg-type]
        assert 'get_protocol_api("2.20")' in (refused.value.hint or "")


def test_a_value_of_the_wrong_type_names_the_type_in_words() -> None:
    protocol = read_protocol(MISTAKES.parent / "protocols" / "transfer_220.py")
    with pytest.raises(InvalidInput, match="parameter volume takes a number, not 'lots'") as wrong:
        protocol.parameters({"volume": "lots"})
    assert wrong.value.hint == "give volume a number, e.g. --param volume=1.5"
