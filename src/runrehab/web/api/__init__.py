"""The JSON API under ``/api/v1``: one module a room. Each route calls one use case and answers
with its view; it never reaches the database itself (a test checks)."""
