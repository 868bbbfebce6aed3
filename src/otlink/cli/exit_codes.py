"""The exit codes every otlink command uses (documented in ``otlink --help``)."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILURE = 1
    USAGE = 2
    ROBOT_UNREACHABLE = 3
    ROBOT_ERROR = 4
    PROTOCOL_FAILED = 5
    INTERRUPTED = 130
