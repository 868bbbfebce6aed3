"""Why a protocol file cannot run, said the otlink way: the file, the line, the fix.

opentrons (on the laptop for a live run, on the robot for an upload) refuses a malformed
file with an exception and a sentence: its parser (MalformedPythonProtocolError,
ApiDeprecationError, a SyntaxError), its loader (``run`` or ``add_parameters`` with the wrong
signature), or whatever the file's own top-level code or ``add_parameters()`` raised. Each
becomes a :class:`~otlink.errors.ProtocolFileError` that points at the line to change and says
how. A ``run`` that cannot be called as ``run(protocol)`` is found here from the source, before
anything is sent to a robot. Nothing here imports opentrons: it only reads text and the source.

Example::

    try:
        read_protocol(Path("ot4.py"))
    except ProtocolFileError as error:
        print(error.line, error.hint)   # 1 an OT-2 protocol declares requirements = {...}
"""

from __future__ import annotations

import ast
import re
import traceback
from pathlib import Path

from otlink.errors import ProtocolFileError

DECLARE = 'requirements = {"robotType": "OT-2", "apiLevel": "2.20"}'
_V2_DOCS = "https://docs.opentrons.com/v2/"

#: (words in opentrons' message, the name in the file whose line it is, the fix)
_FIXES: tuple[tuple[str, str | None, str], ...] = (
    ("robotType must be", "robotType", f"an OT-2 protocol declares {DECLARE}"),
    ("Flex only supports", "robotType", f"an OT-2 protocol declares {DECLARE}"),
    (
        "dict must be strings",
        None,
        'write every key and value of metadata and requirements as quoted text, e.g. "2.20"',
    ),
    (
        "Could not read the contents",
        None,
        "write metadata and requirements as plain literals: no variables or function calls",
    ),
    (
        "in requirements dict",
        "requirements",
        'requirements takes only "robotType" and "apiLevel": put the rest in metadata',
    ),
    ("not both", "apiLevel", "keep apiLevel in requirements only: remove it from metadata"),
    ("incorrectly formatted", "apiLevel", 'write apiLevel as "MAJOR.MINOR" text: "2.20"'),
    ("apiLevel not declared", None, f"declare it: {DECLARE}"),
    ("No function 'run(ctx)'", None, "define the steps in a top-level def run(protocol):"),
    ("More than one run function", "run", "keep one def run(protocol): and rename the others"),
    ("Protocol API v1 modules", None, f"write it for Protocol API v2 ({_V2_DOCS})"),
    ("Function 'run", "run", "define it as def run(protocol):"),
    ("codec can't decode", None, "save the protocol as UTF-8 text (is this the right file?)"),
    ("null bytes", None, "this is not a Python text file: give the protocol's .py file"),
    ("add_parameters", "add_parameters", "define it as def add_parameters(parameters):"),
)


_NAMED_DICT = re.compile(r"the (metadata|requirements) dict")
_NEEDS_LEVEL = re.compile(r"not available until API version (\d+\.\d+)")


def malformed(path: Path, message: str, cause: BaseException | None) -> ProtocolFileError:
    """What opentrons' parser said about ``path`` (``message``, from ``cause``), with the fix."""
    line = cause.lineno if isinstance(cause, SyntaxError) else None
    hint = f"fix the Python syntax at line {line}" if line is not None else None
    for words, name, fix in _FIXES:
        if words in message:
            named_dict = _NAMED_DICT.search(message)
            name = name or (named_dict.group(1) if named_dict else None)
            line, hint = _line_of(path, name) or line, fix
            break
    return ProtocolFileError(
        f"{path.name} cannot be read as a protocol: {message}",
        file=str(path),
        line=line,
        hint=hint,
    )


def api_v1(path: Path, level: object) -> ProtocolFileError:
    """A Protocol API v1 file (opentrons' ApiDeprecationError)."""
    return ProtocolFileError(
        f"{path.name} is a Protocol API v1 protocol (apiLevel {level}); robots run only v2",
        file=str(path),
        line=_line_of(path, "apiLevel"),
        hint=f"port it to Protocol API v2 and declare {DECLARE} ({_V2_DOCS})",
    )


def refuse_wrong_signatures(path: Path, source: bytes) -> None:
    """Raise ProtocolFileError unless ``run`` can be called as ``run(protocol)`` and
    ``add_parameters`` (if there is one) as ``add_parameters(parameters)``, as opentrons calls
    them: told from the source, so nothing has run yet."""
    for node in ast.parse(source).body:
        if not isinstance(node, ast.FunctionDef) or node.name not in ("run", "add_parameters"):
            continue
        arguments = node.args
        positional = [*arguments.posonlyargs, *arguments.args]
        if node.name == "run":
            takes_one = bool(positional) or arguments.vararg is not None
            required = (
                len(positional)
                - len(arguments.defaults)
                + sum(default is None for default in arguments.kw_defaults)
            )
            fits = takes_one and required <= 1
        else:
            everything = [*positional, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg]
            fits = len([argument for argument in everything if argument is not None]) == 1
        if not fits:
            raise ProtocolFileError(
                f"{path.name}: {node.name}() at line {node.lineno} cannot be called as"
                f" {node.name}({_ARGUMENT[node.name]}), as opentrons calls it",
                file=str(path),
                line=node.lineno,
                hint=f"define it as def {node.name}({_ARGUMENT[node.name]}):",
            )


_ARGUMENT = {"run": "protocol", "add_parameters": "parameters"}


def add_parameters_failed(path: Path, error: BaseException, line: int | None) -> ProtocolFileError:
    """``add_parameters()`` raised ``error`` at ``line`` (a definition opentrons refused)."""
    needs = _NEEDS_LEVEL.search(str(error))
    if needs:
        hint = f'declare "apiLevel": "{needs.group(1)}" (or higher) in requirements'
    else:
        hint = f"fix the parameter's definition at line {line}"
    return ProtocolFileError(
        f"{path.name}: add_parameters() failed: {error}", file=str(path), line=line, hint=hint
    )


def loading_failed(path: Path, error: Exception) -> ProtocolFileError:
    """The file's top-level code (imports, constants) raised ``error`` as it was loaded."""
    frames = traceback.extract_tb(error.__traceback__)
    line = next((f.lineno for f in reversed(frames) if f.filename == str(path)), None)
    where = f" at line {line}" if line is not None else ""
    hint: str | None = None
    if isinstance(error, ModuleNotFoundError) and error.name:
        hint = f"install {error.name} in this Python (pip install {error.name}), or drop the import"
    elif line is not None:
        hint = f"fix line {line}: the file's top-level code runs before run()"
    return ProtocolFileError(
        f"{path.name}{where}: {type(error).__name__}: {error} (while the file was loaded)",
        file=str(path),
        line=line,
        hint=hint,
    )


def _line_of(path: Path, name: str | None) -> int | None:
    """The line where ``name`` is set at the top of ``path``: a variable, a function, or a key
    of a top-level dict (``apiLevel``, ``robotType``); None when it is not found."""
    if name is None:
        return None
    try:
        tree = ast.parse(path.read_bytes())
    except (SyntaxError, ValueError, OSError):
        return None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return node.lineno
        if not isinstance(node, ast.Assign):
            continue
        if any(isinstance(target, ast.Name) and target.id == name for target in node.targets):
            return node.lineno
        if isinstance(node.value, ast.Dict):
            for key in node.value.keys:
                if isinstance(key, ast.Constant) and key.value == name:
                    return key.lineno
    return None
