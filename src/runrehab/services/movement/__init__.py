"""The movement check: a clip of an exercise, measured (``analysis``)."""
