"""Criteria sets as JSON (export and import) and editing by new versions: a set already used by
an assessment is never changed in place, so every assessment keeps naming the rules it used."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from suotdoi.audit.actions import audit_log
from suotdoi.core.errors import ValidationFailed

from . import engine
from .models import Assessment, Confirmation, CriteriaSet, Criterion, Indicator, Metric, SubjectType

FORMAT = "suotdoi-criteria-set/1"
SET_FIELDS = (
    "code", "title", "subject_type", "issuer_name", "document_number", "confirmation",
    "rule_kind", "pass_label", "fail_label", "note",
)  # fmt: skip


class BadSet(ValidationFailed):
    code = "bad_criteria_set"


def export_set(cs: CriteriaSet) -> dict:
    return {
        "format": FORMAT,
        **{f: getattr(cs, f) for f in SET_FIELDS},
        "version": cs.version,
        "document_date": cs.document_date.isoformat() if cs.document_date else None,
        "valid_from": cs.valid_from.isoformat(),
        "valid_to": cs.valid_to.isoformat() if cs.valid_to else None,
        "pass_total": str(cs.pass_total),
        "min_each": str(cs.min_each),
        "bands": cs.bands,
        "level_labels": cs.level_labels,
        "criteria": [
            {
                "title": c.title,
                "indicators": [
                    {
                        "code": i.code,
                        "text": i.text,
                        "measure": i.measure,
                        "max_points": str(i.max_points),
                        "target": str(i.target),
                        "metric": i.metric,
                        "share_of": i.share_of,
                        "level": i.level,
                    }
                    for i in c.indicators.all()
                ],
            }
            for c in cs.criteria.prefetch_related("indicators")
        ],
    }


def _dec(value, what: str) -> Decimal:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise BadSet(_("%(what)s must be a number.") % {"what": what}) from None
    if d < 0 or d > 10000:
        raise BadSet(_("%(what)s is out of range.") % {"what": what})
    return d


def _date(value, what: str, required: bool = True):
    if value in (None, "") and not required:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise BadSet(_("%(what)s must be a date (YYYY-MM-DD).") % {"what": what}) from None


def _validate(data) -> dict:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadSet(_("This is not a Suốt Đời criteria set (format %(f)s).") % {"f": FORMAT})
    for f in ("code", "title", "subject_type", "document_number", "rule_kind"):
        if not isinstance(data.get(f), str) or not data[f].strip():
            raise BadSet(_("The field “%(f)s” is missing.") % {"f": f})
    if data["subject_type"] not in SubjectType.values:
        raise BadSet(_("Unknown subject type: %(v)s.") % {"v": data["subject_type"]})
    if data["rule_kind"] not in (engine.RULE_POINTS, engine.RULE_LEVELS):
        raise BadSet(_("Unknown pass rule: %(v)s.") % {"v": data["rule_kind"]})
    criteria = data.get("criteria")
    if not isinstance(criteria, list) or not criteria:
        raise BadSet(_("A set needs at least one criterion."))
    codes = set()
    for c in criteria:
        if not isinstance(c, dict) or not str(c.get("title", "")).strip():
            raise BadSet(_("Every criterion needs a title."))
        inds = c.get("indicators")
        if not isinstance(inds, list) or not inds:
            raise BadSet(_("Criterion “%(c)s” has no indicator.") % {"c": c["title"]})
        for i in inds:
            if not isinstance(i, dict):
                raise BadSet(_("An indicator must be an object."))
            code = str(i.get("code", ""))
            if not code or code in codes or len(code) > 30:
                raise BadSet(
                    _("Indicator codes must be present, short and unique (%(c)s).") % {"c": code}
                )
            codes.add(code)
            if i.get("measure") not in (engine.POINTS, engine.YES_NO, engine.RECORD, engine.SHARE):
                raise BadSet(_("Indicator %(c)s: unknown measure.") % {"c": code})
            if i["measure"] == engine.RECORD and i.get("metric") not in Metric.values:
                raise BadSet(_("Indicator %(c)s: unknown record metric.") % {"c": code})
            if i["measure"] == engine.SHARE and not str(i.get("share_of", "")).strip():
                raise BadSet(_("Indicator %(c)s: which title must members hold?") % {"c": code})
            _dec(i.get("max_points", 10), code)
            _dec(i.get("target", 0), code)
    return data


@transaction.atomic
def import_set(*, actor, data) -> CriteriaSet:
    """Create the next version of the set's code from JSON (bytes or str); all or nothing."""
    if isinstance(data, bytes | str):
        from suotdoi.core.jsonio import BadJSON, parse_json

        try:
            data = parse_json(data)
        except BadJSON as exc:
            raise BadSet(_("The file is not valid JSON: %(why)s") % {"why": exc.message}) from None
    data = _validate(data)
    last = CriteriaSet.objects.filter(code=data["code"]).aggregate(v=Max("version"))["v"] or 0
    cs = CriteriaSet.objects.create(
        code=data["code"].strip()[:60],
        version=last + 1,
        title=data["title"].strip()[:200],
        subject_type=data["subject_type"],
        issuer_name=str(data.get("issuer_name", ""))[:200],
        document_number=data["document_number"].strip()[:60],
        document_date=_date(data.get("document_date"), "document_date", required=False),
        valid_from=_date(data.get("valid_from") or dt.date.today().isoformat(), "valid_from"),
        valid_to=_date(data.get("valid_to"), "valid_to", required=False),
        confirmation=data.get("confirmation")
        if data.get("confirmation") in Confirmation.values
        else Confirmation.EXAMPLE,
        rule_kind=data["rule_kind"],
        pass_total=_dec(data.get("pass_total", 0), "pass_total"),
        min_each=_dec(data.get("min_each", 0), "min_each"),
        bands=[[str(b[0]), float(_dec(b[1], "bands"))] for b in data.get("bands") or []],
        level_labels=[str(x)[:60] for x in data.get("level_labels") or []],
        pass_label=str(data.get("pass_label") or "Đạt")[:60],
        fail_label=str(data.get("fail_label") or "Không đạt")[:60],
        note=str(data.get("note") or "")[:4000],
    )
    for c_order, c in enumerate(data["criteria"], start=1):
        crit = Criterion.objects.create(criteria_set=cs, order=c_order, title=str(c["title"])[:300])
        for i_order, i in enumerate(c["indicators"], start=1):
            Indicator.objects.create(
                criteria_set=cs,
                criterion=crit,
                order=i_order,
                code=str(i["code"]),
                text=str(i.get("text") or i["code"])[:500],
                measure=i["measure"],
                max_points=_dec(i.get("max_points", 10), i["code"]),
                target=_dec(i.get("target", 0), i["code"]),
                metric=str(i.get("metric") or "") if i["measure"] == engine.RECORD else "",
                share_of=str(i.get("share_of") or "") if i["measure"] == engine.SHARE else "",
                level=int(i.get("level") or 0),
            )
    audit_log(
        actor=actor,
        verb="recognition.set_import",
        target=cs,
        data={"code": cs.code, "version": cs.version},
    )
    return cs


@transaction.atomic
def indicator_edit(
    *, actor, criteria_set: CriteriaSet, code: str, text: str, max_points, target
) -> CriteriaSet:
    """Change an indicator's wording, points or target. In place while no assessment used the
    set; otherwise as a new version (the old one stays, with its assessments)."""
    ind = Indicator.objects.filter(criteria_set=criteria_set, code=code).first()
    if ind is None:
        raise BadSet(_("No indicator %(c)s in this set.") % {"c": code})
    if len(text.strip()) < 3:
        raise BadSet(_("Write the indicator's wording."))
    cs = criteria_set
    if Assessment.objects.filter(criteria_set=cs).exists():
        data = export_set(cs)
        cs = import_set(actor=actor, data=data)
        ind = Indicator.objects.get(criteria_set=cs, code=code)
    ind.text = text.strip()
    ind.max_points = _dec(max_points or ind.max_points, code)
    ind.target = _dec(target or ind.target, code)
    ind.save(update_fields=["text", "max_points", "target"])
    audit_log(
        actor=actor, verb="recognition.indicator_edit", target=cs, data={"code": code, "text": text}
    )
    return cs


def _editable(actor, cs: CriteriaSet) -> CriteriaSet:
    """The set itself while no assessment used it, else its next version (a copy)."""
    if Assessment.objects.filter(criteria_set=cs).exists():
        return import_set(actor=actor, data=export_set(cs))
    return cs


@transaction.atomic
def indicator_add(
    *, actor, criteria_set: CriteriaSet, criterion_title: str, code: str, text: str,
    measure: str, max_points, target, metric: str = "", share_of: str = "", level: int = 0,
) -> CriteriaSet:  # fmt: skip
    """Add an indicator (to an existing criterion, or a new one), validated like an import."""
    data = export_set(criteria_set)
    spec = {
        "code": code.strip(), "text": text.strip(), "measure": measure,
        "max_points": str(max_points or 10), "target": str(target or 0), "metric": metric,
        "share_of": share_of.strip(), "level": int(level or 0),
    }  # fmt: skip
    crit = next((c for c in data["criteria"] if c["title"] == criterion_title.strip()), None)
    if crit is None:
        if len(criterion_title.strip()) < 3:
            raise BadSet(_("Name the criterion."))
        data["criteria"].append({"title": criterion_title.strip(), "indicators": [spec]})
    else:
        crit["indicators"].append(spec)
    _validate(data)
    if len(spec["text"]) < 3:
        raise BadSet(_("Write the indicator's wording."))
    cs = _editable(actor, criteria_set)
    criterion = cs.criteria.filter(title=criterion_title.strip()).first()
    if criterion is None:
        criterion = Criterion.objects.create(
            criteria_set=cs, order=cs.criteria.count() + 1, title=criterion_title.strip()[:300]
        )
    Indicator.objects.create(
        criteria_set=cs,
        criterion=criterion,
        order=criterion.indicators.count() + 1,
        code=spec["code"],
        text=spec["text"][:500],
        measure=measure,
        max_points=_dec(spec["max_points"], code),
        target=_dec(spec["target"], code),
        metric=metric if measure == engine.RECORD else "",
        share_of=spec["share_of"] if measure == engine.SHARE else "",
        level=spec["level"],
    )
    audit_log(actor=actor, verb="recognition.indicator_add", target=cs, data={"code": code})
    return cs


@transaction.atomic
def indicator_remove(*, actor, criteria_set: CriteriaSet, code: str) -> CriteriaSet:
    if not Indicator.objects.filter(criteria_set=criteria_set, code=code).exists():
        raise BadSet(_("No indicator %(c)s in this set.") % {"c": code})
    if Indicator.objects.filter(criteria_set=criteria_set).count() == 1:
        raise BadSet(_("A set needs at least one criterion."))
    cs = _editable(actor, criteria_set)
    ind = Indicator.objects.get(criteria_set=cs, code=code)
    criterion = ind.criterion
    ind.delete()
    if not criterion.indicators.exists():
        criterion.delete()
    audit_log(actor=actor, verb="recognition.indicator_remove", target=cs, data={"code": code})
    return cs


@transaction.atomic
def set_copy(*, actor, criteria_set: CriteriaSet, code: str, title: str) -> CriteriaSet:
    """Start a new title from an existing set (then edit its indicators in the page)."""
    import re

    code = code.strip().lower()
    if not re.fullmatch(r"[a-z0-9-]{3,60}", code):
        raise BadSet(_("The code uses small letters, digits and dashes (3 to 60)."))
    if CriteriaSet.objects.filter(code=code).exists():
        raise BadSet(_("A set with this code exists; edit it to make a new version."))
    data = export_set(criteria_set) | {"code": code, "title": title.strip() or code}
    data["confirmation"] = Confirmation.EXAMPLE
    return import_set(actor=actor, data=data)
