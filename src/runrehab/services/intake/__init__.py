"""The intake: the assessment's questions, its triage and outcome, a plan preview."""
