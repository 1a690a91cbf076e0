"""``python -m runrehab.cli``: the same command line as ``runrehab``."""

from runrehab.cli.main import run

run()
