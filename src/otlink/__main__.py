"""``python -m otlink`` is the ``otlink`` command."""

from otlink.cli.main import main

main()
