"""Accounts: signing up and in, sessions, passwords, the log-in throttle."""
