"""The ``otlink`` command line: one module per verb, all output through :mod:`otlink.cli.output`."""
