"""Text messages (one-time codes) through one interface and a backend chosen in settings.

    SMS_BACKEND = "suotdoi.core.sms.HttpGatewayBackend"   # production: any HTTP gateway
    SMS_BACKEND = "suotdoi.core.sms.FileBackend"          # development: var/sms-outbox.jsonl
    SMS_BACKEND = "suotdoi.core.sms.MemoryBackend"        # tests: sms.outbox

No provider is wired in: the gateway backend posts {"to", "text", "sender"} as JSON with a
bearer token to SMS_GATEWAY_URL, which a small adapter for the chosen carrier (Viettel,
VNPT, an aggregator) receives. Message texts are never written to the application's logs.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class SmsError(Exception):
    """The message could not be handed to the gateway."""


def send_sms(to: str, text: str) -> None:
    backend = import_string(getattr(settings, "SMS_BACKEND", "suotdoi.core.sms.FileBackend"))
    backend().send(to, text)


class MemoryBackend:
    """Keeps messages in `outbox` (tests read the code from there)."""

    outbox: list[dict] = []
    _lock = threading.Lock()

    def send(self, to: str, text: str) -> None:
        with self._lock:
            MemoryBackend.outbox.append({"to": to, "text": text})


class FileBackend:
    """Development: one JSON line per message in SMS_FILE_PATH (the developer's "phone")."""

    def send(self, to: str, text: str) -> None:
        path = Path(
            getattr(settings, "SMS_FILE_PATH", Path(settings.BASE_DIR) / "var" / "sms-outbox.jsonl")
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(
            {"at": timezone.now().isoformat(), "to": to, "text": text}, ensure_ascii=False
        )
        with path.open("a", encoding="utf-8") as f:
            f.write(line + "\n")


class HttpGatewayBackend:
    """Production: POST to the gateway configured by SMS_GATEWAY_URL / _TOKEN / SMS_SENDER."""

    timeout = 10

    def send(self, to: str, text: str) -> None:
        import urllib.error
        import urllib.request

        url = getattr(settings, "SMS_GATEWAY_URL", "")
        if not url:
            raise SmsError("SMS_GATEWAY_URL is not set")
        body = json.dumps(
            {"to": to, "text": text, "sender": getattr(settings, "SMS_SENDER", "SuotDoi")}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - the operator's own gateway URL
            url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {getattr(settings, 'SMS_GATEWAY_TOKEN', '')}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                if not 200 <= response.status < 300:
                    raise SmsError(f"the gateway answered {response.status}")
        except urllib.error.URLError as exc:
            raise SmsError(f"the gateway could not be reached: {exc.reason}") from None
