"""Writes of contests: the organisers' contest, bank and rounds; a contestant's sitting
(started, answered question by question against the server's clock, submitted); the board's
review and publication. Every write is audited except the answers themselves (one row each, as
they come; the sitting's start and submission are audited)."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from suotdoi.audit.actions import audit_log
from suotdoi.core import fastsql
from suotdoi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from suotdoi.organisations.access import can
from suotdoi.organisations.policies import Capability

from . import rules
from .models import Answer, Contest, Entrant, Question, Round, Sitting


def _may_organise(actor, contest: Contest) -> None:
    if not can(actor, contest.unit, Capability.MANAGE_UNITS):
        raise NotFound()


def is_board(actor, contest: Contest) -> bool:
    return (
        can(actor, contest.unit, Capability.MANAGE_UNITS)
        or contest.board.filter(pk=actor.pk).exists()
    )


@transaction.atomic
def contest_create(*, actor, unit, title: str, rules_text: str, **fields) -> Contest:
    if not can(actor, unit, Capability.MANAGE_UNITS):
        raise NotFound()
    title, rules_text = title.strip(), rules_text.strip()
    if not title or not rules_text:
        raise ValidationFailed(_("A contest has a title and its rules."))
    c = Contest.objects.create(
        unit=unit, unit_path=unit.path, title=title[:250], rules=rules_text[:8000],
        created_by=actor, **fields,
    )  # fmt: skip
    audit_log(actor=actor, verb="contests.create", target=c, unit=unit, data={"title": c.title})
    return c


def _check_question(text: str, choices: list, correct: int) -> None:
    choices = [str(x).strip() for x in choices]
    if not text.strip() or not 2 <= len(choices) <= 6 or any(not x for x in choices):
        raise ValidationFailed(_("A question has its text and two to six answers."))
    if len(set(choices)) != len(choices):
        raise ValidationFailed(_("Two answers of a question are the same."))
    if not 0 <= correct < len(choices):
        raise ValidationFailed(_("Mark which answer is right."))


@transaction.atomic
def question_add(*, actor, contest: Contest, text: str, choices: list, correct: int,
                 category: str = "") -> Question:  # fmt: skip
    _may_organise(actor, contest)
    _check_question(text, choices, correct)
    q = Question.objects.create(
        contest=contest, category=category.strip()[:60], text=text.strip()[:600],
        choices=[str(x).strip()[:300] for x in choices], correct=correct,
    )  # fmt: skip
    contest.updated_at = timezone.now()  # a new bank: the cached one is not read again
    Contest.objects.filter(pk=contest.pk).update(updated_at=contest.updated_at)
    audit_log(actor=actor, verb="contests.question_add", target=contest, unit=contest.unit)
    return q


@transaction.atomic
def round_add(*, actor, contest: Contest, opens_at, closes_at, draw: dict, **fields) -> Round:
    _may_organise(actor, contest)
    if closes_at <= opens_at:
        raise ValidationFailed(_("A round closes after it opens."))
    bank: dict[str, int] = {}
    for cat in contest.questions.values_list("category", flat=True):
        bank[cat] = bank.get(cat, 0) + 1
    total = sum(bank.values())
    if not draw or any(int(n) < 1 for n in draw.values()):
        raise ValidationFailed(_("Say how many questions each sitting draws."))
    for cat, n in draw.items():
        have = total if cat == "" else bank.get(cat, 0)
        if int(n) > have:
            raise ValidationFailed(
                _("The bank has %(have)s questions for “%(cat)s”, fewer than %(n)s.")
                % {"have": have, "cat": cat or _("any category"), "n": n}
            )
    number = (contest.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    r = Round.objects.create(
        contest=contest, number=number, opens_at=opens_at, closes_at=closes_at,
        draw={str(k): int(v) for k, v in draw.items()}, **fields,
    )  # fmt: skip
    audit_log(
        actor=actor, verb="contests.round_add", target=contest, unit=contest.unit,
        data={"round": number},
    )  # fmt: skip
    return r


# --- sittings --------------------------------------------------------------------------------


def entry_paths(person, contest: Contest) -> list[str]:
    """The person's open memberships inside the contest's tree (for unit rates); raises
    NotFound for a subtree contest the person is outside of, PermissionDenied for a public
    contest without a verified phone."""
    from suotdoi.organisations.models import Membership

    paths = list(
        Membership.objects.filter(
            person=person, unit_path__startswith=contest.unit_path, end_date__isnull=True
        ).values_list("unit_path", flat=True)
    )
    if contest.audience == Contest.SUBTREE:
        if not paths:
            raise NotFound()
    elif not person.phone_verified:
        raise PermissionDenied(_("Verify your phone number to take part."))
    return paths


def _enter(person, contest: Contest) -> None:
    """The one account a person takes part with: with a CCCD rule, a second account behind
    the same citizen ID is refused. One `INSERT … ON CONFLICT DO NOTHING` (the evening's
    start): nothing inserted means the person is in already, or their CCCD is taken."""
    digest = ""
    if contest.requires_cccd:
        digest = person.national_id_hash or ""
        if not digest:
            raise ValidationFailed(_("This contest asks each contestant's citizen ID (CCCD)."))
    row = Entrant(contest=contest, person=person, cccd_hash=digest)
    if fastsql.insert([row], unless_conflict=True):
        return
    if not Entrant.objects.filter(contest=contest, person=person).exists():
        raise Conflict(_("Another account has taken part with this citizen ID."))


def _bank(contest: Contest) -> dict[str, list[tuple[int, int]]]:
    """The contest's questions by category as (id, number of choices), in id order. Kept in
    the cache under the contest's updated_at, which every change to the bank moves on: at an
    evening start thousands of draws read it at once."""
    from django.core.cache import cache

    key = f"contests:bank:{contest.pk}:{contest.updated_at.timestamp()}"
    bank = cache.get(key)
    if bank is None:
        bank = {}
        for qid, cat, choices in (
            Question.objects.filter(contest_id=contest.pk)
            .order_by("pk")
            .values_list("pk", "category", "choices")
        ):
            bank.setdefault(cat, []).append((qid, len(choices)))
        cache.set(key, bank, 3600)
    return bank


@transaction.atomic
def sitting_start(*, person, round: Round, origin: str = "", device: str = "", now=None,
                  paths: list[str] | None = None):  # fmt: skip
    """Start (or resume) a sitting: its own draw from a fresh seed, a deadline from the
    server's clock (the round's close at the latest). `paths`: entry_paths() when the caller
    has checked them already."""
    now = now or timezone.now()
    contest = round.contest
    if paths is None:
        paths = entry_paths(person, contest)
    if not round.opens_at <= now < round.closes_at:
        raise Conflict(_("This round is not open now."))
    _enter(person, contest)
    mine = list(Sitting.objects.filter(round=round, person=person))  # at most `attempts`
    open_one = next((x for x in mine if x.status == Sitting.OPEN), None)
    if open_one is not None:
        if open_one.deadline > now:
            return open_one  # a resumed sitting keeps its deadline
        _close(open_one, now)
    used = len(mine)
    if used >= round.attempts:
        raise Conflict(_("You have used every attempt of this round."))
    seed = secrets.token_hex(16)
    questions = rules.draw(_bank(contest), round.draw, seed)
    if not questions:
        raise Conflict(_("This round has no questions yet."))
    deadline = min(now + dt.timedelta(minutes=round.minutes), round.closes_at)
    s = Sitting(
        round=round, person=person, attempt=used + 1, seed=seed, questions=questions,
        started_at=now, deadline=deadline, unit_path=max(paths, key=len, default=""),
        origin=origin[:64], device=device[:64],
    )  # fmt: skip
    if not fastsql.insert([s], unless_conflict=True):  # a second tab started it just now
        return Sitting.objects.get(round=round, person=person, status=Sitting.OPEN)
    audit_log(
        actor=person, verb="contests.start", target=s, unit=contest.unit,
        data={"round": round.number, "attempt": s.attempt},
    )  # fmt: skip
    return s


def answer_save(*, person, sitting: Sitting, position: int, shown: int, now=None) -> bool:
    """Save the answer to the question at `position`: `shown` is the place of the chosen
    answer as it was shown. Late answers (after the deadline) are ignored: False."""
    if sitting.person_id != person.pk:
        raise NotFound()
    return _answer_write(sitting, position, shown, now or timezone.now())


def _answer_write(sitting: Sitting, position: int, shown: int, now) -> bool:
    if sitting.status != Sitting.OPEN or now > sitting.deadline:
        return False
    if not 0 <= position < len(sitting.questions):
        raise ValidationFailed(_("There is no such question in this sitting."))
    order = sitting.questions[position][1]
    if not 0 <= shown < len(order):
        raise ValidationFailed(_("Choose one of the answers."))
    table = Answer._meta.db_table
    # One plain upsert (the evening's hottest write: see suotdoi.core.fastsql); the last
    # answer given before the deadline counts.
    fastsql.changed(
        Answer,
        f"INSERT INTO {table} (sitting_id, position, choice, at) VALUES (%s, %s, %s, %s) "  # noqa: S608
        "ON CONFLICT (sitting_id, position) DO UPDATE SET choice = excluded.choice, "
        "at = excluded.at",
        [sitting.pk, position, order[shown], fastsql.moment(Answer, now)],
    )
    return True


ANSWER_SALT = "contests.answer"
START_SALT = "contests.start"
START_TOKEN_AGE = 12 * 3600  # the contest page's start address lasts an evening


def _start_signer(person) -> signing.TimestampSigner:
    # A new password (or a reset) ends every start address given out before it, as it ends
    # the person's sessions.
    return signing.TimestampSigner(salt=f"{START_SALT}:{person.get_session_auth_hash()}")


def start_token(person, contest: Contest) -> str:
    """The address a contest page's script starts a round from, without a session: it names
    the contest and the person, signed with the site's key and the person's sign-in secret,
    and dated (good for twelve hours). The entry rules are checked at the start as for the
    page's own form."""
    return _start_signer(person).sign(f"{contest.pk}.{person.pk}")


def sitting_start_by_token(token: str, *, round_id, origin: str = "", device: str = ""):
    """`sitting_start` for the holder of a contest page's start token (an active person in the
    contest's audience). Unknown, expired or another contest's round: NotFound."""
    from suotdoi.people.models import Person

    try:
        contest_id, person_id = (int(x) for x in token.split(":", 1)[0].split("."))
    except ValueError:
        raise NotFound() from None
    person = Person.objects.filter(pk=person_id, is_active=True).first()
    try:
        if (
            person is None
            or _start_signer(person).unsign(token, max_age=START_TOKEN_AGE)
            != f"{contest_id}.{person_id}"
        ):
            raise NotFound()
    except signing.BadSignature:
        raise NotFound() from None
    rnd = (
        Round.objects.select_related("contest__unit")
        .filter(pk=round_id, contest=contest_id)
        .first()
    )
    if rnd is None:
        raise NotFound()
    paths = entry_paths(person, rnd.contest)
    return sitting_start(person=person, round=rnd, origin=origin, device=device, paths=paths)


def answer_token(sitting: Sitting) -> str:
    """The address a sitting's page saves its answers to, one tap at a time, without a
    session: it names the sitting and its contestant, signed with the site's key (a page on
    another site cannot know it), and is good until the sitting closes."""
    return signing.Signer(salt=ANSWER_SALT).sign(f"{sitting.pk}.{sitting.person_id}")


def answer_save_by_token(token: str, *, position: int, shown: int, now=None) -> bool:
    """`answer_save` for the holder of the sitting's answer token. Unknown: NotFound."""
    try:
        sitting_id, person_id = (
            int(x) for x in signing.Signer(salt=ANSWER_SALT).unsign(token).split(".")
        )
    except (signing.BadSignature, ValueError):
        raise NotFound() from None
    table = Sitting._meta.db_table
    found = list(
        Sitting.objects.raw(  # a plain statement: the evening's hottest read
            f"SELECT id, status, deadline, questions, person_id FROM {table} "  # noqa: S608
            "WHERE id = %s AND person_id = %s",
            [sitting_id, person_id],
        )
    )
    if not found:
        raise NotFound()
    (sitting,) = found
    return _answer_write(sitting, position, shown, now or timezone.now())


def _score(sitting: Sitting) -> int:
    ids = [qid for qid, _o in sitting.questions]
    correct = dict(Question.objects.filter(pk__in=ids).values_list("pk", "correct"))
    answers = dict(
        Answer.objects.filter(sitting=sitting, at__lte=sitting.deadline).values_list(
            "position", "choice"
        )
    )
    return rules.score(sitting.questions, answers, correct)


def _close(sitting: Sitting, now, prediction=None) -> Sitting:
    ended = min(now, sitting.deadline)
    sitting.status = Sitting.SUBMITTED if now <= sitting.deadline else Sitting.EXPIRED
    sitting.submitted_at = ended
    sitting.duration_ms = int((ended - sitting.started_at).total_seconds() * 1000)
    sitting.score = _score(sitting)
    if prediction is not None:
        sitting.prediction = prediction
    sitting.flags = sorted(
        set(sitting.flags) | set(rules.timing_flags(len(sitting.questions), sitting.duration_ms))
    )
    sitting.save(
        update_fields=["status", "submitted_at", "duration_ms", "score", "prediction", "flags"]
    )
    return sitting


@transaction.atomic
def sitting_submit(*, person, sitting: Sitting, prediction, now=None) -> Sitting:
    """Hand in: the score from the answers saved before the deadline, the tie-break
    prediction; participation lands in the learning record."""
    now = now or timezone.now()
    s = (
        Sitting.objects.select_for_update()
        .select_related("round__contest__unit")
        .get(pk=sitting.pk)
    )
    if s.person_id != person.pk:
        raise NotFound()
    if s.status != Sitting.OPEN:
        return s
    if prediction is not None and (
        isinstance(prediction, bool)
        or not isinstance(prediction, int)
        or not (0 <= prediction <= 100_000_000)
    ):
        raise ValidationFailed(_("The prediction is a whole number of people."))
    _close(s, now, prediction=prediction)
    _record(s)
    audit_log(
        actor=person, verb="contests.submit", target=s, unit=s.round.contest.unit,
        data={"score": s.score, "late": s.status == Sitting.EXPIRED},
    )  # fmt: skip
    return s


def _record(s: Sitting) -> None:
    from suotdoi.records.actions import entry_record
    from suotdoi.records.models import EntryKind, Provenance

    contest = s.round.contest
    hours = Decimal(max(s.duration_ms or 0, 60_000)) / Decimal(3_600_000)
    entry_record(
        actor=s.person,
        person=s.person,
        source_key=f"contest:{s.round_id}:{s.person_id}",
        title=_("Contest: %(title)s, round %(n)s") % {"title": contest.title, "n": s.round.number},
        kind=EntryKind.CONTEST,
        start_date=timezone.localtime(s.started_at).date(),
        hours=hours.quantize(Decimal("0.01")),
        provenance=Provenance.ISSUED,
        unit=contest.unit,
        issued_by=contest.unit.name,
    )


def expire_due(*, now=None) -> int:
    """Sittings left open past their deadline are closed with what was saved in time."""
    now = now or timezone.now()
    n = 0
    for s in Sitting.objects.filter(status=Sitting.OPEN, deadline__lt=now).select_related(
        "round__contest__unit", "person"
    ):
        with transaction.atomic():
            _close(s, now)
            _record(s)
        n += 1
    return n


# --- review and publication ------------------------------------------------------------------


@transaction.atomic
def review(*, actor, sitting: Sitting, exclude: bool, reason: str = "") -> Sitting:
    s = (
        Sitting.objects.select_for_update()
        .select_related("round__contest__unit")
        .get(pk=sitting.pk)
    )
    if not is_board(actor, s.round.contest):
        raise NotFound()
    if s.round.published_at is not None:
        raise Conflict(_("The results of this round are published."))
    s.excluded, s.reviewed_by = exclude, actor
    s.save(update_fields=["excluded", "reviewed_by"])
    audit_log(
        actor=actor, verb="contests.review", target=s, unit=s.round.contest.unit,
        on_behalf_of=s.person, data={"exclude": exclude, "reason": reason[:300], "flags": s.flags},
    )  # fmt: skip
    return s


def publish(*, actor, round: Round, now=None) -> Round:
    """The board publishes a closed round's results once every flagged sitting is reviewed.
    The sittings left open are closed and the round's flags are computed first (kept even when
    publication is refused, so the board sees what to review)."""
    now = now or timezone.now()
    contest = Contest.objects.select_related("unit").get(pk=round.contest_id)
    if not is_board(actor, contest):
        raise NotFound()
    if now < round.closes_at:
        raise Conflict(_("A round's results are published after it closes."))
    expire_due(now=now)
    from .selectors import flag_round

    with transaction.atomic():
        flag_round(round)
    with transaction.atomic():
        r = Round.objects.select_for_update().get(pk=round.pk)
        if r.published_at is not None:
            return r
        waiting = r.sittings.exclude(flags=[]).filter(reviewed_by__isnull=True).count()
        if waiting:
            raise Conflict(
                ngettext(
                    "%(n)s flagged sitting waits for review before publication.",
                    "%(n)s flagged sittings wait for review before publication.",
                    waiting,
                )
                % {"n": waiting}
            )
        from .exporting import sign_results

        r.published_at, r.published_by = now, actor
        r.results = sign_results(actor=actor, round=r, published_at=now)
        r.save(update_fields=["published_at", "published_by", "results"])
        audit_log(
            actor=actor, verb="contests.publish", target=contest, unit=contest.unit,
            data={"round": r.number},
        )  # fmt: skip
    return r


@transaction.atomic
def certificates_issue(*, actor, round: Round, places: int) -> int:
    """Certificates for the first `places` of a published round, signed by the organising
    unit (once each: issuing again changes nothing). Returns how many were new."""
    from suotdoi.credentials.actions import achievement_ensure, credential_issue
    from suotdoi.credentials.errors import IssuingOff
    from suotdoi.credentials.models import CredentialKind, Issuer

    from .selectors import ranking

    r = Round.objects.select_related("contest__unit").get(pk=round.pk)
    if not is_board(actor, r.contest):
        raise NotFound()
    if r.published_at is None:
        raise Conflict(_("Certificates follow the publication of the results."))
    if not 1 <= places <= 1000:
        raise ValidationFailed(_("Give certificates to between 1 and 1,000 places."))
    issuer = Issuer.objects.select_related("unit").filter(unit=r.contest.unit).first()
    if issuer is None:
        raise IssuingOff()
    from suotdoi.people.models import Person

    everyone = ranking(r)
    ranked = everyone[:places]
    people = Person.objects.in_bulk([x.result.person_id for x in ranked])
    achievement = achievement_ensure(
        issuer=issuer,
        key=f"contest:{r.contest_id}:{r.number}",
        kind=CredentialKind.RECOGNITION,
        name=_("Prize of the contest “%(title)s”, round %(n)s")
        % {"title": r.contest.title, "n": r.number},
        criteria=_("Ranked by the published rules: score, the prediction, time, order."),
    )
    new = 0
    for x in ranked:
        _c, created = credential_issue(
            actor=actor,
            person=people[x.result.person_id],
            achievement=achievement,
            source_key=f"contest:{r.pk}:{x.result.person_id}",
            evidence_narrative=_("Place %(place)s of %(n)s; %(score)s right answers.")
            % {"place": x.rank, "n": len(everyone), "score": x.result.score},
        )
        new += created
    audit_log(
        actor=actor, verb="contests.certificates", target=r.contest, unit=r.contest.unit,
        data={"round": r.number, "places": places, "new": new},
    )  # fmt: skip
    return new
