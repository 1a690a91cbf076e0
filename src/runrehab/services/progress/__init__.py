"""Progress: the figures of the report, the charts and the calendar; the phase timeline."""
