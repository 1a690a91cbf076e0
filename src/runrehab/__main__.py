"""``python -m runrehab``: the same program as ``runrehab``."""

from runrehab.main import run

run()
