"""``python -m otlink.emulator`` is ``otlink emulate``."""

from otlink.cli.main import main

main(["emulate", *__import__("sys").argv[1:]])
