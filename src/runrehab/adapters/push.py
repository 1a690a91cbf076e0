"""Web Push out (``pywebpush``), signed with the server's VAPID keys, which are made at first
start (``new_keys``) and kept in the database."""

from __future__ import annotations

import json
import logging

from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid01  # type: ignore[import-untyped]
from py_vapid.utils import b64urlencode  # type: ignore[import-untyped]
from pywebpush import WebPushException, webpush  # type: ignore[import-untyped]

GONE = (404, 410)  # the push service forgot the subscription: the browser unsubscribed
TIMEOUT_SECONDS = 30
TTL_SECONDS = 12 * 3600  # a phone that is off gets the reminder when it is back, that day

log = logging.getLogger(__name__)


def new_keys() -> tuple[str, str]:
    """A new VAPID key pair: the private key as PEM, the public key as the browser's
    ``applicationServerKey`` (the uncompressed point, base64url)."""
    vapid = Vapid01()
    vapid.generate_keys()
    private = vapid.private_pem().decode()
    point = vapid.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return private, b64urlencode(point)


class WebPusher:
    def __init__(self, private_pem: str, contact: str) -> None:
        self._vapid = Vapid01.from_pem(private_pem.encode())
        self._contact = contact

    def send(self, subscription: str, title: str, body: str, url: str) -> bool:
        payload = json.dumps({"title": title, "body": body, "url": url})
        try:
            webpush(
                json.loads(subscription),
                payload,
                vapid_private_key=self._vapid,
                vapid_claims={"sub": self._contact},
                timeout=TIMEOUT_SECONDS,
                ttl=TTL_SECONDS,
            )
        except WebPushException as err:
            status = getattr(err.response, "status_code", None)
            if status in GONE:
                return False
            raise
        return True
