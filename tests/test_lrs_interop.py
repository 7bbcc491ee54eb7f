"""Our statement validation agrees with Learning Locker's (npm `@learninglocker/xapi-validation`,
pinned in tests/interop) on a corpus of valid and invalid statements."""

import copy
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from suotdoi.records.lrs.validation import Invalid, validate_statement

HARNESS = Path(__file__).resolve().parent / "interop"

BASE = {
    "actor": {"objectType": "Agent", "mbox": "mailto:hoc.vien@example.vn", "name": "Học viên"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"vi": "hoàn thành"}},
    "object": {"objectType": "Activity", "id": "http://suotdoi.example/khoa-hoc/1"},
}


def variant(**changes):
    s = copy.deepcopy(BASE)
    for path, value in changes.items():
        target = s
        keys = path.split("__")
        for k in keys[:-1]:
            target = target.setdefault(k, {})
        if value is DELETE:
            target.pop(keys[-1], None)
        else:
            target[keys[-1]] = value
    return s


DELETE = object()

VALID = [
    variant(),
    variant(id="0c3e6a5c-8c59-4a66-9a3e-5c3c2a9b1e11"),
    variant(actor={"mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"}),
    variant(actor={"openid": "http://openid.example.vn/mai"}),
    variant(actor={"account": {"homePage": "https://suotdoi.vn", "name": "0912000001"}}),
    variant(actor={"objectType": "Group", "member": [{"mbox": "mailto:a@b.vn"}]}),
    variant(
        result={
            "score": {"scaled": 0.9, "raw": 9, "min": 0, "max": 10},
            "success": True,
            "completion": True,
            "duration": "PT1H30M",
        }
    ),
    variant(
        context={
            "registration": "0c3e6a5c-8c59-4a66-9a3e-5c3c2a9b1e11",
            "language": "vi-VN",
            "platform": "Moodle",
            "contextActivities": {"parent": [{"id": "http://suotdoi.example/chuong-trinh"}]},
        }
    ),
    variant(timestamp="2026-11-23T08:00:00.123+07:00"),
    variant(object={"objectType": "StatementRef", "id": "0c3e6a5c-8c59-4a66-9a3e-5c3c2a9b1e11"}),
    variant(object={"objectType": "Agent", "mbox": "mailto:ban@example.vn"}),
    variant(
        object={
            "objectType": "SubStatement",
            "actor": {"mbox": "mailto:a@b.vn"},
            "verb": {"id": "http://x.vn/v"},
            "object": {"id": "http://x.vn/a"},
        }
    ),
    variant(
        object={
            "id": "http://x.vn/q",
            "definition": {
                "interactionType": "choice",
                "correctResponsesPattern": ["a"],
                "choices": [{"id": "a", "description": {"vi": "Đúng"}}],
            },
        }
    ),
    variant(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": "0c3e6a5c-8c59-4a66-9a3e-5c3c2a9b1e11"},
    ),
    variant(
        attachments=[
            {
                "usageType": "http://x.vn/u",
                "display": {"vi": "Tệp"},
                "contentType": "text/plain",
                "length": 3,
                "sha2": "a" * 64,
                "fileUrl": "http://x.vn/f.txt",
            }
        ]
    ),
]

INVALID = [
    variant(actor=DELETE),
    variant(verb=DELETE),
    variant(object=DELETE),
    variant(actor={"mbox": "hoc.vien@example.vn"}),
    variant(actor={"mbox": "mailto:a@b.vn", "openid": "http://x.vn/o"}),
    variant(actor={"mbox_sha1sum": "xyz"}),
    variant(actor={"account": {"homePage": "suotdoi.vn", "name": "x"}}),
    variant(verb={"id": "completed"}),
    variant(verb={"id": "http://x.vn/v", "display": {"vi": 3}}),
    variant(object={"id": "khoa-hoc"}),
    variant(object={"objectType": "Thing", "id": "http://x.vn/a"}),
    variant(result={"score": {"scaled": 2}}),
    variant(result={"success": "true"}),
    variant(result={"duration": "1 giờ"}),
    variant(context={"registration": "abc"}),
    variant(context={"instructor": {"name": "không định danh"}}),
    variant(timestamp="23/11/2026"),
    variant(id="not-a-uuid"),
    variant(unknown="x"),
    variant(verb={"id": "http://adlnet.gov/expapi/verbs/voided"}),
    variant(object={"objectType": "StatementRef", "id": "x"}),
    variant(
        object={
            "objectType": "SubStatement",
            "actor": {"mbox": "mailto:a@b.vn"},
            "verb": {"id": "http://x.vn/v"},
            "object": {"objectType": "SubStatement"},
        }
    ),
    variant(attachments=[{"usageType": "http://x.vn/u", "contentType": "text/plain"}]),
]


def ours(s) -> bool:
    try:
        validate_statement(s, "1.0.3")
        return True
    except Invalid:
        return False


def theirs(statements) -> list[dict]:
    if not (HARNESS / "node_modules" / "@learninglocker").is_dir():
        pytest.fail("run `make interop-tools` (npm ci in tests/interop) first")
    r = subprocess.run(
        [shutil.which("node") or "node", str(HARNESS / "xapi.mjs")],
        input=json.dumps(statements),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=HARNESS,
    )
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_both_validators_accept_the_valid_and_refuse_the_invalid():
    corpus = VALID + INVALID
    expected = [True] * len(VALID) + [False] * len(INVALID)
    ll = theirs(corpus)
    for i, (s, want, other) in enumerate(zip(corpus, expected, ll, strict=True)):
        assert ours(s) is want, (i, s)
        assert other["valid"] is want, (i, s, other["warnings"])
