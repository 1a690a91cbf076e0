"""Exports of a runner's progress: charts (matplotlib), the report (HTML and PDF) and the
calendar of coming sessions (iCalendar). They render what ``runrehab.services.progress.figures``
assembles and never read the journal themselves."""
