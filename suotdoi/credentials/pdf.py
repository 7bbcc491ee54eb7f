"""The printable certificate: Vietnamese official layout, rendered by WeasyPrint."""

from __future__ import annotations

import segno
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from suotdoi.core.pdf import render_pdf

from .documents import public_url


def check_url(credential) -> str:
    """Where the certificate's QR code leads: names the credential and its exact content."""
    return public_url(reverse("credentials:check", args=[credential.uid, credential.digest[:32]]))


def certificate_pdf(*, credential, base_url: str) -> bytes:
    url = check_url(credential)
    qr = segno.make(url, error="m").svg_data_uri(scale=4, border=1)
    issuer = credential.achievement.issuer
    issued = timezone.localtime(credential.issued_at)
    html = render_to_string(
        "credentials/certificate.html",
        {
            "c": credential,
            "a": credential.achievement,
            "issuer": issuer,
            "person": credential.person,
            "issued": issued,
            "place": issuer.unit.name if issuer.unit_id else issuer.name,
            "qr": qr,
            "url": url,
            # What the credential rests on (a recognition's decision number, date and signer).
            "grounds": [
                e["narrative"]
                for e in (credential.document or {}).get("evidence", [])
                if isinstance(e, dict) and e.get("narrative")
            ],
        },
    )
    return render_pdf(html, base_url=base_url)
