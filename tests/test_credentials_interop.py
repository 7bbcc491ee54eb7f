"""An independent verifier agrees with ours: the Digital Credentials Consortium's libraries
(npm, pinned in tests/interop) check credentials we issued, and we check one they signed."""

import copy
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from suotdoi.credentials import actions
from suotdoi.credentials.models import StatusList
from suotdoi.credentials.verification import verify_document

from .credentials_helpers import issued

pytestmark = pytest.mark.django_db
HARNESS = Path(__file__).resolve().parent / "interop"


def run_dcc(job: dict) -> dict:
    if not (HARNESS / "node_modules").is_dir():
        pytest.fail("run `make interop-tools` (npm ci in tests/interop) first")
    r = subprocess.run(
        [shutil.which("node") or "node", str(HARNESS / "dcc.mjs")],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=HARNESS,
    )
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def status_lists() -> dict:
    out = {}
    for sl in StatusList.objects.all():
        doc = json.loads(sl.signed_json)
        out[doc["id"]] = doc
    return out


def test_dcc_verifier_accepts_ours_rejects_tampering_and_sees_revocation(people, units):
    good = issued(people, units, key="course:a")
    revoked = issued(people, units, key="course:b", title="Kỹ năng số cho người cao tuổi")
    actions.credential_revoke(
        actor=people["commune_officer"], credential=revoked, reason="Cấp nhầm người"
    )
    tampered = copy.deepcopy(good.document)
    tampered["credentialSubject"]["achievement"]["name"] = "Thạc sĩ Quản trị kinh doanh"

    out = run_dcc(
        {
            "verify": [good.document, tampered, revoked.document],
            "statusLists": status_lists(),
        }
    )
    ok, changed, withdrawn = out["results"]
    assert ok["verified"] is True, ok
    assert ok["statusVerified"] is True
    assert changed["verified"] is False
    assert withdrawn["proofVerified"] is True  # the signature still holds…
    assert withdrawn["statusVerified"] is False  # …but the status list says revoked
    assert withdrawn["verified"] is False


def test_our_verifier_accepts_a_credential_signed_by_the_dcc_library(people, units):
    template = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:3a6f3c4e-8f0a-4b8e-9a7c-1d2e3f4a5b6c",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Đọc sách cùng con",
        "issuer": {"type": ["Profile"], "name": "Thư viện thử nghiệm"},
        "validFrom": "2026-01-01T00:00:00Z",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.org/achievements/doc-sach",
                "type": ["Achievement"],
                "name": "Đọc sách cùng con",
                "description": "Mười buổi đọc sách",
                "criteria": {"narrative": "Tham gia đủ mười buổi"},
            },
        },
    }
    signed = run_dcc({"sign": template})["signed"]
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    outcome = verify_document(signed)
    assert outcome.state == "valid", outcome.message
    signed["name"] = "Đọc sách một mình"
    assert verify_document(signed).state == "tampered"
