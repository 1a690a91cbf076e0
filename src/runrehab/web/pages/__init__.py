"""The runner's pages: HTML, one module a room. Each route reads the request, calls one use
case and renders its view; it never reaches the database itself (a test checks)."""
