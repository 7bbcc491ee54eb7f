"""A real OpenID provider (npm `oidc-provider`, tests/interop/oidc.mjs) on 127.0.0.1."""

from __future__ import annotations

import contextlib
import json
import re
import select
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

INTEROP = Path(__file__).parent / "interop"
CLIENT_ID, CLIENT_SECRET = "suotdoi", "a-client-secret-for-tests"

ACCOUNTS = {
    # Mai's number, verified by the provider.
    "mai": {
        "name": "Nguyễn Thị Mai",
        "phone_number": "+84912000001",
        "phone_number_verified": True,
    },
    # Mai's number again, but the provider never verified it.
    "unverified": {
        "name": "Nguyễn Thị Mai",
        "phone_number": "+84912000001",
        "phone_number_verified": False,
    },
    # Only a name, the same as Mai's.
    "name-only": {"name": "Nguyễn Thị Mai"},
    # Hùng's citizen ID with a number nobody has.
    "hung-cccd": {
        "name": "Trần Văn Hùng",
        "phone_number": "+84987650000",
        "phone_number_verified": True,
        "cccd": "001085000222",
    },
    # Mai's number with a citizen ID that is not Mai's.
    "mai-phone-other-cccd": {
        "name": "Người khác",
        "phone_number": "+84912000001",
        "phone_number_verified": True,
        "cccd": "001085000999",
    },
    # Someone new to the platform.
    "newcomer": {
        "name": "Đỗ Thị Lan",
        "phone_number": "+84987654321",
        "phone_number_verified": True,
        "cccd": "001190077001",
    },
}


@contextlib.contextmanager
def oidc_provider(redirect_uris: list[str]):
    """Start the provider; yield its issuer URL; stop it."""
    if not shutil.which("node") or not (INTEROP / "node_modules" / "oidc-provider").exists():
        pytest.skip("oidc-provider not installed (make interop-tools)")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uris": redirect_uris,
                "accounts": ACCOUNTS,
            },
            f,
        )
    proc = line = None
    try:
        # Its line comes once it listens. Bounded: a node that once never printed (idle, not
        # listening) held a whole CI run; such a start is abandoned and tried once more.
        for _attempt in range(2):
            proc = subprocess.Popen(
                ["node", str(INTEROP / "oidc.mjs"), f.name],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                cwd=INTEROP,
            )
            ready, _w, _x = select.select([proc.stdout], [], [], 60)
            line = proc.stdout.readline() if ready else ""
            if line:
                break
            proc.kill()
            proc.wait(timeout=30)
        if not line:
            raise RuntimeError("the OpenID provider did not start")
        yield json.loads(line)["issuer"]
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            proc.wait(timeout=30)
        Path(f.name).unlink(missing_ok=True)


def provider_settings(issuer: str) -> dict:
    from config.settings.base import oidc_form_action, oidc_socialaccount_providers

    providers = [
        {
            "id": "vneid",
            "name": "VNeID",
            "server_url": issuer,
            "client_id": CLIENT_ID,
            "secret": CLIENT_SECRET,
            # This provider gives the citizen ID under its own scope, as VNeID-like servers do.
            "scope": ["openid", "profile", "phone", "cccd"],
        }
    ]
    from django.conf import settings

    csp = {**settings.SECURE_CSP}
    csp["form-action"] = [*csp["form-action"], *oidc_form_action(providers)]
    return {"SOCIALACCOUNT_PROVIDERS": oidc_socialaccount_providers(providers), "SECURE_CSP": csp}


def sign_in_at_provider(authorize_url: str, login: str, callback_prefix: str) -> str:
    """Walk the provider's own pages as a person would (sign in, consent) and return the
    callback URL it sends the browser back to, with its code and state."""
    s = requests.Session()
    url = authorize_url
    for _ in range(12):
        r = s.get(url, allow_redirects=False, timeout=30)
        if r.status_code in (302, 303):
            url = urljoin(url, r.headers["Location"])
            if url.startswith(callback_prefix):
                return url
            continue
        action = re.search(r'<form[^>]*action="([^"]+)"', r.text)
        assert action, r.text[:2000]
        target = urljoin(url, action.group(1))
        if 'name="login"' in r.text:
            r = s.post(
                target,
                data={"prompt": "login", "login": login, "password": "x"},
                allow_redirects=False,
                timeout=30,
            )
        else:
            r = s.post(target, data={"prompt": "consent"}, allow_redirects=False, timeout=30)
        assert r.status_code in (302, 303), r.text[:2000]
        url = urljoin(target, r.headers["Location"])
        if url.startswith(callback_prefix):
            return url
    raise AssertionError("the provider never sent the browser back")
