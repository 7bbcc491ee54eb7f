"""Reading what SCORM content committed: status, score, location, time — from the data model
as scorm-again sends it ({"cmi": {...}}), for SCORM 1.2 and SCORM 2004 alike."""

from __future__ import annotations

import json
import math
import re

from .models import Standard

MAX_CMI_BYTES = 256 * 1024
_HMS = re.compile(r"^(\d{1,4}):([0-5]?\d):([0-5]?\d(?:\.\d{1,2})?)$")
_ISO = re.compile(
    r"^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$"
)


def seconds_of(text) -> int:
    """Seconds in a SCORM 1.2 timespan (HHHH:MM:SS.SS) or an ISO 8601 duration; 0 if neither."""
    text = str(text or "").strip()
    if m := _HMS.match(text):
        return int(int(m[1]) * 3600 + int(m[2]) * 60 + float(m[3]))
    if (m := _ISO.match(text)) and text not in ("P", "PT") and not text.endswith("T"):
        y, mo, d, h, mi, s = (float(x) if x else 0.0 for x in m.groups())
        total = y * 31536000 + mo * 2592000 + d * 86400 + h * 3600 + mi * 60 + s
        return int(total) if math.isfinite(total) and total < 10**8 else 0
    return 0


def hms(seconds: int) -> str:
    """SCORM 1.2's CMITimespan."""
    return f"{seconds // 3600:04d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def iso_duration(seconds: int) -> str:
    return f"PT{seconds // 3600}H{seconds % 3600 // 60}M{seconds % 60}S"


def _num(value) -> float | None:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


class BadCommit(ValueError):
    pass


def parse(standard: str, body: bytes) -> dict:
    """The fields the platform keeps from one commit, and the data model to resume with."""
    if len(body) > MAX_CMI_BYTES:
        raise BadCommit("the commit is larger than 256 KB")
    try:
        data = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise BadCommit("the commit is not JSON") from None
    cmi = data.get("cmi") if isinstance(data, dict) else None
    if not isinstance(cmi, dict):
        raise BadCommit("the commit has no cmi object")
    if standard == Standard.SCORM12:
        core = cmi.get("core") if isinstance(cmi.get("core"), dict) else {}
        status = str(core.get("lesson_status") or "").lower()
        score = core.get("score") if isinstance(core.get("score"), dict) else {}
        raw, lo, hi = _num(score.get("raw")), _num(score.get("min")), _num(score.get("max"))
        scaled = None
        if raw is not None:
            lo = 0.0 if lo is None else lo
            hi = 100.0 if hi is None or hi <= lo else hi
            scaled = max(0.0, min((raw - lo) / (hi - lo), 1.0))
        completion = "completed" if status in ("completed", "passed", "failed") else status
        success = status if status in ("passed", "failed") else ""
        location = str(core.get("lesson_location") or "")
        session = seconds_of(core.get("session_time"))
        exit_ = str(core.get("exit") or "")
    else:
        completion = str(cmi.get("completion_status") or "").lower()
        success = str(cmi.get("success_status") or "").lower()
        if success == "unknown":
            success = ""
        score = cmi.get("score") if isinstance(cmi.get("score"), dict) else {}
        scaled = _num(score.get("scaled"))
        if scaled is not None:
            scaled = max(-1.0, min(scaled, 1.0))
        location = str(cmi.get("location") or "")
        session = seconds_of(cmi.get("session_time"))
        exit_ = str(cmi.get("exit") or "")
    return {
        "completion": completion[:20],
        "success": success[:20],
        "score": scaled,
        "location": location[:1000],
        "session": session,
        "exit": exit_,
        "cmi": cmi,
    }


def satisfied(state) -> bool:
    """A SCO is done when it is completed and not failed, or passed."""
    return state.success == "passed" or (
        state.completion == "completed" and state.success != "failed"
    )


# Elements the LMS sets itself or the content may only write: left out of what is loaded back.
_DROP_12 = {
    "session_time",
    "exit",
    "entry",
    "total_time",
    "student_id",
    "student_name",
    "credit",
    "lesson_mode",
}
_DROP_2004 = {
    "session_time", "exit", "entry", "total_time", "learner_id", "learner_name", "credit",
    "mode", "completion_threshold", "scaled_passing_score", "launch_data", "time_limit_action",
    "max_time_allowed",
}  # fmt: skip


def resume_data(standard: str, state, *, person, item: dict) -> dict:
    """The data model a new session starts from: what was committed, with the LMS's own
    values (learner, entry, total time, mastery score) set again."""
    cmi = json.loads(json.dumps(state.cmi or {})) if state else {}
    seconds = state.seconds if state else 0
    suspended = bool(state and (state.cmi or {}) and (_exit_of(standard, state.cmi) == "suspend"))
    if standard == Standard.SCORM12:
        core = cmi.get("core") if isinstance(cmi.get("core"), dict) else {}
        core = {k: v for k, v in core.items() if k not in _DROP_12}
        core |= {
            "student_id": person.public_id,
            "student_name": _name_12(person.full_name),
            "entry": "resume" if suspended else ("" if state and state.commits else "ab-initio"),
            "total_time": hms(seconds),
            "credit": "credit",
            "lesson_mode": "normal",
        }
        cmi["core"] = core
        if item.get("mastery") is not None:
            cmi.setdefault("student_data", {})
            if isinstance(cmi["student_data"], dict):
                cmi["student_data"]["mastery_score"] = str(round(item["mastery"] * 100))
        if item.get("parameters"):
            cmi["launch_data"] = item["parameters"].lstrip("?")[:4096]
    else:
        cmi = {k: v for k, v in cmi.items() if k not in _DROP_2004}
        cmi |= {
            "learner_id": person.public_id,
            "learner_name": person.full_name,
            "entry": "resume" if suspended else "ab-initio",
            "total_time": iso_duration(seconds),
            "credit": "credit",
            "mode": "normal",
        }
        if item.get("mastery") is not None:
            cmi["scaled_passing_score"] = str(item["mastery"])
    return _no_empty(cmi)


def _exit_of(standard: str, cmi: dict) -> str:
    if standard == Standard.SCORM12:
        return str((cmi.get("core") or {}).get("exit") or "")
    return str(cmi.get("exit") or "")


def _name_12(full_name: str) -> str:
    """SCORM 1.2 names are "Last, First"."""
    parts = full_name.split()
    return f"{parts[0]}, {' '.join(parts[1:])}" if len(parts) > 1 else full_name


def _no_empty(node):
    """scorm-again refuses to load empty strings into some typed elements; leave them out."""
    if isinstance(node, dict):
        return {k: _no_empty(v) for k, v in node.items() if v not in ("", None, [], {})}
    if isinstance(node, list):
        return [_no_empty(v) for v in node]
    return node
