"""Writes of credit accumulation: accreditation (platform staff), programmes (the provider),
credit for credit-bearing completions, and recognition of prior learning (the learner applies,
an assessor of the provider decides, the learner may appeal once to a second assessor). Every
grant of credit is a signed credential of the provider and a line of the credit account."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from suotdoi.audit.actions import audit_log
from suotdoi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from suotdoi.organisations.access import can
from suotdoi.organisations.policies import Capability

from . import rules, selectors
from .models import (
    Accreditation,
    CreditAward,
    Following,
    Programme,
    ProgrammeModule,
    RplClaim,
    RplRequest,
)

# --- accreditation (platform staff) ---------------------------------------------------------


@transaction.atomic
def accreditation_grant(*, actor, provider, reference, issued_by, document, valid_until=None):
    """Platform staff record that a provider may grant credit, with the document that says so.
    The provider gets an issuer profile (its decisions are credentials it signs)."""
    from suotdoi.credentials.actions import issuer_enable

    if not actor.is_staff:
        raise NotFound()
    acc = Accreditation.objects.filter(provider=provider).first()
    if acc is not None and acc.revoked_at is None:
        raise Conflict(_("This provider is accredited already."))
    if acc is None:
        acc = Accreditation(provider=provider)
    acc.reference, acc.issued_by, acc.document = reference.strip(), issued_by.strip(), document
    acc.valid_until, acc.granted_by, acc.revoked_at, acc.revoke_reason = (
        valid_until,
        actor,
        None,
        "",
    )
    acc.save()
    issuer_enable(actor=actor, unit=provider.unit)
    audit_log(
        actor=actor,
        verb="credits.accredit",
        target=acc,
        unit=provider.unit,
        data={"reference": acc.reference, "issued_by": acc.issued_by},
    )
    return acc


@transaction.atomic
def accreditation_revoke(*, actor, accreditation: Accreditation, reason: str):
    if not actor.is_staff:
        raise NotFound()
    if not reason.strip():
        raise ValidationFailed(_("Give the reason."))
    accreditation.revoked_at, accreditation.revoke_reason = timezone.now(), reason.strip()[:300]
    accreditation.save(update_fields=["revoked_at", "revoke_reason"])
    audit_log(
        actor=actor,
        verb="credits.accredit_revoke",
        target=accreditation,
        unit=accreditation.provider.unit,
        data={"reason": accreditation.revoke_reason},
    )
    return accreditation


# --- programmes (the provider) ---------------------------------------------------------------


def _may_manage(actor, provider) -> None:
    if not can(actor, provider.unit, Capability.MANAGE_UNITS):
        raise NotFound()


@transaction.atomic
def programme_create(*, actor, provider, **fields) -> Programme:
    _may_manage(actor, provider)
    if not selectors.is_accredited(provider):
        raise PermissionDenied(_("Only an accredited provider publishes programmes for credit."))
    if Programme.objects.filter(provider=provider, code=fields.get("code", "")).exists():
        raise ValidationFailed(_("Another programme of this provider has this code."))
    p = Programme.objects.create(provider=provider, created_by=actor, **fields)
    audit_log(
        actor=actor,
        verb="credits.programme_create",
        target=p,
        unit=provider.unit,
        data={"code": p.code, "level": p.vqf_level, "credits": str(p.min_credits)},
    )
    return p


@transaction.atomic
def module_add(*, actor, programme: Programme, courses=(), **fields) -> ProgrammeModule:
    _may_manage(actor, programme.provider)
    if programme.status != Programme.DRAFT:
        raise Conflict(_("A published programme's modules do not change."))
    if programme.modules.filter(code=fields.get("code", "")).exists():
        raise ValidationFailed(_("Two modules have the same code."))
    if any(c.provider_id != programme.provider_id for c in courses):
        raise ValidationFailed(_("A module is filled by this provider's own courses."))
    fields.setdefault("order", programme.modules.count() + 1)
    m = ProgrammeModule.objects.create(programme=programme, **fields)
    m.courses.set(courses)
    audit_log(
        actor=actor,
        verb="credits.module_add",
        target=programme,
        unit=programme.provider.unit,
        data={"code": m.code, "credits": str(m.credits), "mandatory": m.mandatory},
    )
    return m


@transaction.atomic
def module_remove(*, actor, module: ProgrammeModule) -> None:
    programme = module.programme
    _may_manage(actor, programme.provider)
    if programme.status != Programme.DRAFT:
        raise Conflict(_("A published programme's modules do not change."))
    code = module.code
    module.delete()
    audit_log(
        actor=actor,
        verb="credits.module_remove",
        target=programme,
        unit=programme.provider.unit,
        data={"code": code},
    )


@transaction.atomic
def programme_publish(*, actor, programme: Programme) -> Programme:
    p = Programme.objects.select_for_update().get(pk=programme.pk)
    _may_manage(actor, p.provider)
    if p.status == Programme.PUBLISHED:
        return p
    problems = rules.programme_problems(selectors.rule_of(p))
    if problems:
        raise ValidationFailed(" ".join(problems))
    if not selectors.is_accredited(p.provider):
        raise PermissionDenied(_("Only an accredited provider publishes programmes for credit."))
    p.status, p.published_at = Programme.PUBLISHED, timezone.now()
    p.save(update_fields=["status", "published_at", "updated_at"])
    audit_log(actor=actor, verb="credits.programme_publish", target=p, unit=p.provider.unit)
    return p


def follow(*, person, programme: Programme) -> Following:
    if programme.status != Programme.PUBLISHED:
        raise NotFound()
    f, _created = Following.objects.get_or_create(person=person, programme=programme)
    return f


# --- credit for credit-bearing completions ---------------------------------------------------


def award_for_completion(*, enrolment, entry=None) -> CreditAward | None:
    """A credit-bearing course completed at an accredited provider: its credits land in the
    learner's account (once per enrolment). Elsewhere nothing: hours stay hours."""
    course = enrolment.course
    if not course.credits or course.credits <= 0:
        return None
    if not selectors.is_accredited(course.provider):
        return None
    module = (
        ProgrammeModule.objects.filter(courses=course, programme__status=Programme.PUBLISHED)
        .select_related("programme")
        .order_by("programme__vqf_level", "pk")
        .first()
    )
    grade = ""
    if enrolment.best_score is not None and enrolment.attempts:
        grade = f"{enrolment.best_score}%"
    award, created = CreditAward.objects.get_or_create(
        source_key=f"course:{enrolment.pk}",
        defaults={
            "person": enrolment.person,
            "provider": course.provider,
            "kind": CreditAward.COURSE,
            "title": course.title,
            "credits": course.credits,
            "area": course.category,
            "vqf_level": module.programme.vqf_level if module else None,
            "awarded_on": timezone.localtime(enrolment.completed_at or timezone.now()).date(),
            "grade": grade,
            "course": course,
        },
    )
    if created:
        audit_log(
            actor=enrolment.person,
            verb="credits.award",
            target=award,
            unit=course.provider.unit,
            data={"credits": str(award.credits), "course": course.pk},
        )
    return award


# --- recognition of prior learning -----------------------------------------------------------


def _evidence(person, entry_ids, credential_ids):
    """The learner's own evidence: entries that count, credentials not revoked. Anything else
    (somebody else's, rejected, revoked) refuses the request with a clear message."""
    from suotdoi.credentials.models import Credential
    from suotdoi.records.models import NOT_COUNTING, EntryStatus, LearningEntry, Provenance

    entries = list(LearningEntry.objects.filter(person=person, pk__in=entry_ids))
    credentials = list(Credential.objects.filter(person=person, pk__in=credential_ids))
    if len(entries) != len(set(entry_ids)) or len(credentials) != len(set(credential_ids)):
        raise ValidationFailed(_("Choose evidence from your own record."))
    if any(e.status in NOT_COUNTING for e in entries):
        raise ValidationFailed(_("An entry that was not accepted or was corrected is no evidence."))
    if any(c.revoked for c in credentials):
        raise ValidationFailed(_("A revoked credential is no evidence."))
    verified = any(
        e.status == EntryStatus.VERIFIED or e.provenance == Provenance.ISSUED for e in entries
    ) or bool(credentials)
    return entries, credentials, verified


@transaction.atomic
def rpl_submit(*, person, programme: Programme, claims: dict, statement: str = "") -> RplRequest:
    """Apply for recognition: `claims` maps a module code to {"entries": [ids],
    "credentials": [ids]}. Refused when the modules carry more credit than the transfer cap
    still allows, or the evidence is not the learner's, or not valid."""
    if programme.status != Programme.PUBLISHED:
        raise NotFound()
    if not selectors.is_accredited(programme.provider):
        raise PermissionDenied(_("Only an accredited provider grants credit."))
    if RplRequest.objects.filter(
        person=person, programme=programme, status__in=[RplRequest.SUBMITTED, RplRequest.APPEALED]
    ).exists():
        raise Conflict(_("You have a request for this programme waiting already."))
    rule = selectors.rule_of(programme)
    current = selectors.progress_of(person, programme, rule=rule)
    problems = rules.rpl_claim_problems(rule, current, list(claims))
    if problems:
        raise ValidationFailed(" ".join(problems))
    modules = {m.code: m for m in programme.modules.all()}
    checked = {}
    for code, ev in claims.items():
        entries, credentials, verified = _evidence(
            person, list(ev.get("entries", [])), list(ev.get("credentials", []))
        )
        if not entries and not credentials:
            raise ValidationFailed(_("Attach evidence for module %(code)s.") % {"code": code})
        checked[code] = (entries, credentials, verified)
    try:
        with transaction.atomic():
            req = RplRequest.objects.create(
                person=person, programme=programme, statement=statement.strip()[:4000]
            )
    except IntegrityError:
        raise Conflict(_("You have a request for this programme waiting already.")) from None
    for code, (entries, credentials, verified) in checked.items():
        claim = RplClaim.objects.create(
            request=req, module=modules[code], verified_evidence=verified
        )
        claim.entries.set(entries)
        claim.credentials.set(credentials)
    Following.objects.get_or_create(person=person, programme=programme)
    audit_log(
        actor=person,
        verb="credits.rpl_submit",
        target=req,
        unit=programme.provider.unit,
        data={"modules": sorted(claims)},
    )
    return req


def _credits(value) -> Decimal:
    try:
        d = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("Credits are a number, e.g. 3 or 2.5.")) from None
    if not d.is_finite() or d < 0 or d != d.quantize(Decimal("0.5")) or d > 400:
        raise ValidationFailed(_("Credits are a number of halves, e.g. 3 or 2.5."))
    return d


def _grant(*, actor, req: RplRequest, grants: dict, note: str, appeal: bool) -> RplRequest:
    """Write the assessor's grants (claim id → (credits, reason)) within every cap, each
    as a credit award and, together, one credential signed by the provider."""
    programme = req.programme
    rule = selectors.rule_of(programme)
    claims = {c.pk: c for c in req.claims.select_related("module")}
    if set(grants) - set(claims):
        raise ValidationFailed(_("Decide on the modules of this request only."))
    # What counts already, without this request's own grants (an appeal re-decides them).
    current = selectors.progress_of(req.person, programme, rule=rule, excluding_request=req)
    prior = {
        a.claim_id: a.credits
        for a in CreditAward.objects.filter(claim__request=req, revoked_at__isnull=True)
    }
    decided: dict[int, tuple[Decimal, str]] = {}
    for claim_id, claim in claims.items():
        amount, reason = grants.get(claim_id, (Decimal("0"), ""))
        amount = _credits(amount)
        reason = (reason or "").strip()
        if not reason:
            raise ValidationFailed(
                _("Give the reason for module %(code)s.") % {"code": claim.module.code}
            )
        room = current.room(next(m for m in rule.modules if m.code == claim.module.code))
        if amount > room:
            raise ValidationFailed(
                _("Module %(code)s has %(room)s credits left to recognise.")
                % {"code": claim.module.code, "room": rules.num(room)}
            )
        if appeal and amount < prior.get(claim_id, Decimal("0")):
            raise ValidationFailed(_("An appeal does not take away what was granted."))
        decided[claim_id] = (amount, reason[:500])
    total = sum((a for a, _r in decided.values()), Decimal("0"))
    left = rule.transfer_cap - current.transfer_used
    if total > left:
        raise ValidationFailed(
            _(
                "%(total)s credits are more than the %(left)s that can still be recognised from "
                "earlier learning (at most %(pct)s%% of %(need)s)."
            )
            % {
                "total": rules.num(total),
                "left": rules.num(left),
                "pct": rule.transfer_cap_pct,
                "need": rules.num(rule.min_credits),
            }
        )
    today = timezone.localdate()
    earlier = CreditAward.objects.filter(claim__request=req, revoked_at__isnull=True)
    replaced = {a.credential for a in earlier.select_related("credential") if a.credential}
    earlier.update(revoked_at=timezone.now(), revoke_reason=_("Replaced after the appeal"))
    if replaced:
        from suotdoi.credentials.actions import credential_revoke

        for credential in replaced:
            if credential.revoked_at is None:
                credential_revoke(
                    actor=actor, credential=credential, reason=_("Replaced after the appeal")
                )
    awards = []
    for claim_id, (amount, reason) in decided.items():
        claim = claims[claim_id]
        claim.granted, claim.reason = amount, reason
        claim.save(update_fields=["granted", "reason"])
        if amount > 0:
            awards.append(
                CreditAward.objects.create(
                    person=req.person,
                    provider=programme.provider,
                    kind=CreditAward.RPL,
                    title=f"{claim.module.code} {claim.module.title}"[:250],
                    credits=amount,
                    area=claim.module.area,
                    vqf_level=programme.vqf_level,
                    awarded_on=today,
                    programme=programme,
                    module=claim.module,
                    claim=claim,
                    source_key=f"rpl:{claim.pk}:{'appeal' if appeal else 'first'}",
                )
            )
    if total > 0:
        credential = _sign_decision(actor, req, total, awards, appeal)
        CreditAward.objects.filter(pk__in=[a.pk for a in awards]).update(credential=credential)
    return req


def _sign_decision(actor, req, total, awards, appeal):
    from suotdoi.credentials.actions import achievement_ensure, credential_issue
    from suotdoi.credentials.models import CredentialKind, Issuer

    programme = req.programme
    issuer = Issuer.objects.select_related("unit").filter(unit=programme.provider.unit).first()
    if issuer is None:
        raise Conflict(_("The provider cannot sign credentials yet."))
    achievement = achievement_ensure(
        issuer=issuer,
        key=f"rpl:{programme.code}",
        kind=CredentialKind.COMPLETION,
        name=_("Recognition of prior learning: %(p)s") % {"p": programme.title},
        description=_("Credits recognised from earlier learning toward %(p)s.")
        % {"p": programme.title},
        criteria=_("Assessed by %(issuer)s against the modules of the programme.")
        % {"issuer": issuer.name},
        level=str(programme.get_vqf_level_display()),
        assessment=_("Recognition of prior learning"),
    )
    narrative = "; ".join(f"{a.title}: {a.credits}" for a in awards)
    credential, _created = credential_issue(
        actor=actor,
        person=req.person,
        achievement=achievement,
        source_key=f"rpl:{req.pk}:{'appeal' if appeal else 'first'}",
        credits=total,
        evidence_narrative=narrative,
    )
    return credential


def _may_assess(actor, req: RplRequest) -> None:
    if not can(actor, req.programme.provider.unit, Capability.EVALUATE):
        raise NotFound()
    if actor.pk == req.person_id:
        raise PermissionDenied(_("Nobody assesses their own request."))
    if not selectors.is_accredited(req.programme.provider):
        raise PermissionDenied(_("Only an accredited provider grants credit."))


def rpl_decide(*, actor, request: RplRequest, grants: dict, note: str) -> RplRequest:
    """The assessor's decision: credit per module within every cap, with reasons."""
    return _decide(actor=actor, request=request, grants=grants, note=note, appeal=False)


def rpl_decide_appeal(*, actor, request: RplRequest, grants: dict, note: str) -> RplRequest:
    """A second assessor (never the first) decides the appeal: the grants may stay or rise."""
    return _decide(actor=actor, request=request, grants=grants, note=note, appeal=True)


@transaction.atomic
def _decide(*, actor, request: RplRequest, grants: dict, note: str, appeal: bool):
    req = (
        RplRequest.objects.select_for_update()
        .select_related("programme__provider__unit")
        .get(pk=request.pk)
    )
    _may_assess(actor, req)
    if appeal:
        if req.status != RplRequest.APPEALED:
            raise Conflict(_("This request is not waiting for an appeal decision."))
        if actor.pk == req.decided_by_id:
            raise PermissionDenied(_("A second assessor decides the appeal."))
    elif req.status != RplRequest.SUBMITTED:
        raise Conflict(_("This request was decided already."))
    if not note.strip():
        raise ValidationFailed(_("Give the reasons for the decision."))
    _grant(actor=actor, req=req, grants=grants, note=note, appeal=appeal)
    now = timezone.now()
    if appeal:
        req.status, req.appeal_decided_by, req.appeal_decided_at = RplRequest.FINAL, actor, now
        req.decision_note = f"{req.decision_note}\n\n{note.strip()}"[:4000]
        fields = ["appeal_decided_by", "appeal_decided_at"]
    else:
        req.status, req.decided_by, req.decided_at = RplRequest.DECIDED, actor, now
        req.decision_note = note.strip()[:4000]
        fields = ["decided_by", "decided_at"]
    req.save(update_fields=["status", *fields, "decision_note", "updated_at"])
    audit_log(
        actor=actor,
        verb="credits.rpl_appeal_decide" if appeal else "credits.rpl_decide",
        target=req,
        unit=req.programme.provider.unit,
        on_behalf_of=req.person,
        data={"granted": {str(k): str(v[0]) for k, v in grants.items()}},
    )
    _tell(req, appeal=appeal)
    return req


@transaction.atomic
def rpl_appeal(*, person, request: RplRequest, text: str) -> RplRequest:
    req = RplRequest.objects.select_for_update().get(pk=request.pk)
    if req.person_id != person.pk:
        raise NotFound()
    if req.status != RplRequest.DECIDED or req.appealed_at is not None:
        raise Conflict(_("A decision can be appealed once, after it is made."))
    if not text.strip():
        raise ValidationFailed(_("Say why you appeal."))
    req.status, req.appeal_text, req.appealed_at = (
        RplRequest.APPEALED,
        text.strip()[:4000],
        timezone.now(),
    )
    req.save(update_fields=["status", "appeal_text", "appealed_at", "updated_at"])
    audit_log(actor=person, verb="credits.rpl_appeal", target=req, unit=req.programme.provider.unit)
    return req


@transaction.atomic
def rpl_withdraw(*, person, request: RplRequest) -> RplRequest:
    req = RplRequest.objects.select_for_update().get(pk=request.pk)
    if req.person_id != person.pk:
        raise NotFound()
    if req.status != RplRequest.SUBMITTED:
        raise Conflict(_("Only a request still waiting can be withdrawn."))
    req.status = RplRequest.WITHDRAWN
    req.save(update_fields=["status", "updated_at"])
    audit_log(
        actor=person, verb="credits.rpl_withdraw", target=req, unit=req.programme.provider.unit
    )
    return req


def _tell(req: RplRequest, *, appeal: bool) -> None:
    from django.utils.translation import gettext_noop

    from suotdoi.notifications.actions import notify
    from suotdoi.notifications.messages import Say

    notify(
        recipient=req.person,
        kind="credits.rpl_decided",
        title=Say(
            gettext_noop("Your request for recognition was decided: %(p)s"), p=req.programme.title
        ),
        body=Say(gettext_noop("Open it to see the credits granted and the reasons.")),
        url=f"/credits/rpl/{req.pk}/",
        dedupe_key=f"credits.rpl:{req.pk}:{'appeal' if appeal else 'first'}",
    )
