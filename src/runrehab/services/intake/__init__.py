"""The intake (the knee check): its questions (``questions``, from ``data/intake.toml``), the
wizard's use cases (``wizard``), the assessment API's (``assessments``), the triage and its
answer (``triage``, ``outcome``), and a preview of the programme (``preview``)."""
