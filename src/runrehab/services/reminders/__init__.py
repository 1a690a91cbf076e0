"""Reminders and the private calendar feed: what a runner chose, who is due, and sending."""
