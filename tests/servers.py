"""What the tests that start servers share: free ports on 127.0.0.1, and waiting until a
``runrehab serve`` process answers its health check."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

import httpx

START_S = 60.0
"""How long a server may take to start: a busy machine may be starting several at once."""


def free_ports(count: int) -> list[int]:
    """``count`` different free ports of 127.0.0.1 (each held until all are found)."""
    with ExitStack() as held:
        ports = []
        for _ in range(count):
            s = held.enter_context(socket.socket())
            s.bind(("127.0.0.1", 0))
            ports.append(s.getsockname()[1])
        return ports


def free_port() -> int:
    [port] = free_ports(1)
    return port


def wait_until_serving(
    base: str, process: subprocess.Popen[Any], deadline: float, said: Callable[[], str]
) -> None:
    """Until ``base``/healthz answers 200; fails with what the server ``said`` when the
    ``deadline`` (``time.monotonic``) passes or the process ends first."""
    # one client for every try: each new client (``httpx.get``) loads the certificate store
    # for its SSL context, 30-40 ms of CPU every 50 ms while a server starts
    with httpx.Client(timeout=2) as client:
        while True:
            try:
                if client.get(f"{base}/healthz").status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise AssertionError(f"the server did not start: {said()}")
            time.sleep(0.05)
