"""Pages of contests: the contestant's list, a contest's rules and rounds, the sitting (one
question a page, saved as she goes, the server's clock), the result; the organisers' contests,
bank and rounds; the board's review and publication; the ranking and the unit rates."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from suotdoi.core.clients import client_ip
from suotdoi.core.dbrouting import replica_reads
from suotdoi.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from suotdoi.core.parsing import int_or
from suotdoi.organisations.access import access_unit_by_id, can
from suotdoi.organisations.policies import Capability
from suotdoi.web.flows import action_errors

from . import actions, selectors
from .forms import ContestForm, QuestionForm, RoundForm
from .models import Answer, Contest, Question, Round, Sitting


def _visible(person):
    from suotdoi.organisations.models import STEPLEN, Membership

    paths = list(
        Membership.objects.filter(person=person, end_date__isnull=True).values_list(
            "unit_path", flat=True
        )
    )
    q = Q(audience=Contest.PUBLIC)
    for path in paths:  # a contest of any unit above one of the person's units
        ancestors = [path[:i] for i in range(STEPLEN, len(path) + 1, STEPLEN)]
        q |= Q(audience=Contest.SUBTREE, unit_path__in=ancestors)
    return Contest.objects.filter(q)


def _contest_for(request, contest_id) -> Contest:
    c = Contest.objects.select_related("unit").filter(pk=int_or(contest_id)).first()
    if c is None:
        raise NotFound()
    if actions.is_board(request.user, c) or _visible(request.user).filter(pk=c.pk).exists():
        return c
    raise NotFound()


@login_required
def contest_list(request):
    now = timezone.now()
    contests = (
        _visible(request.user)
        .select_related("unit")
        .prefetch_related("rounds")
        .order_by("-created_at")[:50]
    )
    return render(request, "contests/list.html", {"contests": contests, "now": now})


@login_required
def contest(request, contest_id):
    if request.method == "POST":  # the evening start: one look at the person's memberships
        r = (
            Round.objects.select_related("contest__unit")
            .filter(pk=int_or(request.POST.get("round")), contest=int_or(contest_id))
            .first()
        )
        if r is None:
            raise NotFound()
        c = r.contest
        try:  # an outsider's NotFound goes on to the 404 page, as for an absent contest
            paths = actions.entry_paths(request.user, c)
        except PermissionDenied as exc:  # a public contest, the phone not verified
            messages.error(request, str(exc.message))
            return redirect("contests:contest", contest_id=c.pk)
        with action_errors(request) as outcome:
            s = actions.sitting_start(
                person=request.user, round=r, origin=_digest(client_ip(request)),
                device=_digest(request.headers.get("User-Agent", "")), paths=paths,
            )  # fmt: skip
        if outcome.ok:
            return redirect("contests:sitting", sitting_id=s.pk)
        return redirect("contests:contest", contest_id=c.pk)
    c = _contest_for(request, contest_id)
    now = timezone.now()
    mine = Sitting.objects.filter(round__contest=c, person=request.user).select_related("round")
    return render(
        request,
        "contests/contest.html",
        {
            "start_url": reverse("contests:start", args=[actions.start_token(request.user, c)]),
            "c": c,
            "rounds": c.rounds.all(),
            "mine": mine.order_by("round__number", "attempt"),
            "now": now,
            "board": actions.is_board(request.user, c),
        },
    )


def _digest(text) -> str:
    return hashlib.sha256((text or "").encode()).hexdigest()[:40] if text else ""


def _own_sitting(request, sitting_id) -> Sitting:
    s = (
        Sitting.objects.select_related("round__contest__unit")
        .filter(pk=int_or(sitting_id), person=request.user)
        .first()
    )
    if s is None:
        raise NotFound()
    return s


def _sitting_post(request, s: Sitting):
    """An answer saved (then the next question), or the hand-in."""
    if s.status != Sitting.OPEN:
        return redirect("contests:result", sitting_id=s.pk)
    n = len(s.questions)
    if "submit" in request.POST:
        prediction = request.POST.get("prediction", "").strip()
        value = int(prediction) if prediction.isdigit() and len(prediction) < 10 else None
        if prediction and value is None:
            messages.error(request, _("The prediction is a whole number of people."))
            return redirect(f"{request.path}?q={n}")
        with action_errors(request):
            actions.sitting_submit(person=request.user, sitting=s, prediction=value)
        return redirect("contests:result", sitting_id=s.pk)
    position = int_or(request.POST.get("position"))
    shown = int_or(request.POST.get("choice"))
    if request.POST.get("choice") is not None:
        with action_errors(request):
            if not actions.answer_save(
                person=request.user, sitting=s, position=position, shown=shown
            ):
                messages.error(request, _("Time is up: that answer came too late."))
                return redirect("contests:sitting", sitting_id=s.pk)
    nxt = position + 1 if request.POST.get("go") != "back" else position - 1
    return redirect(f"{request.path}?q={max(0, min(nxt, n))}")


@login_required
def sitting(request, sitting_id):
    if request.method == "POST":  # the evening's hot path: the sitting's own row, no joins
        s = Sitting.objects.filter(pk=int_or(sitting_id), person=request.user).first()
        if s is None:
            raise NotFound()
        return _sitting_post(request, s)
    s = _own_sitting(request, sitting_id)
    now = timezone.now()
    if s.status != Sitting.OPEN:
        return redirect("contests:result", sitting_id=s.pk)
    answers = dict(Answer.objects.filter(sitting=s).values_list("position", "choice"))
    n = len(s.questions)
    q = int_or(request.GET.get("q"), -1)
    if not 0 <= q <= n:
        q = next((i for i in range(n) if i not in answers), n)
    context = {
        "s": s,
        "n": n,
        "q": q,
        "answered": len(answers),
        "positions": [(i, i in answers) for i in range(n)],
        "seconds_left": max(0, int((s.deadline - now).total_seconds())),
    }
    if q < n:
        texts = {
            pk: (text, choices)
            for pk, text, choices in Question.objects.filter(
                pk__in=[qid for qid, _order in s.questions]
            ).values_list("pk", "text", "choices")
        }
        # The whole sheet, for the page's script: it saves each answer the moment it is
        # given (to the sitting's token, without a page) and moves between questions on the
        # phone; without the script, the form below saves and moves one page at a time.
        sheet = []
        for i, (qid, order) in enumerate(s.questions):
            text, choices = texts[qid]
            shown = [choices[orig] for orig in order]
            mine = answers.get(i)
            sheet.append(
                {
                    "label": _("Question %(i)s of %(n)s") % {"i": i + 1, "n": n},
                    "text": text,
                    "choices": shown,
                    "chosen": order.index(mine) if mine in order else None,
                }
            )
        context |= {
            "question": {"text": sheet[q]["text"]},
            "choices": [
                (i, text, i == sheet[q]["chosen"]) for i, text in enumerate(sheet[q]["choices"])
            ],
            "sheet": sheet,
            "save_url": reverse("contests:answer", args=[actions.answer_token(s)]),
            "answered_label": _("%(a)s of %(n)s answered"),
        }
    return render(request, "contests/sitting.html", context)


@csrf_exempt  # the token in the address is the credential: another site cannot know it
@require_POST
def start(request, token):
    """A round started by the contest page's script (the evening's first tap: no session
    middleware, through the short handler as the answers are). 200 with the sitting's
    address; 404: no such contest or round for this token, or the person is outside the
    contest; 409 with the reason (closed, no attempt left, a phone to verify…)."""
    try:
        s = actions.sitting_start_by_token(
            token, round_id=int_or(request.POST.get("round")),
            origin=_digest(client_ip(request)),
            device=_digest(request.headers.get("User-Agent", "")),
        )  # fmt: skip
    except NotFound:
        return JsonResponse({"error": "not_found"}, status=404)
    except ApplicationError as e:
        return JsonResponse({"error": e.code, "message": str(e.message)}, status=409)
    return JsonResponse({"sitting": reverse("contests:sitting", args=[s.pk])})


@csrf_exempt  # the token in the address is the credential: another site cannot know it
@require_POST
def answer(request, token):
    """One answer saved by the sitting page's script, the moment it is chosen (the evening's
    hot path: no session, no page; config.wsgi sends it through the short handler). 204:
    saved; 409: too late (the sitting closed or its time is up); 400: not an answer of this
    sitting; 404: no such sitting."""
    position = int_or(request.POST.get("position"), -1)
    shown = int_or(request.POST.get("choice"), -1)
    try:
        saved = actions.answer_save_by_token(token, position=position, shown=shown)
    except NotFound:
        return JsonResponse({"error": "not_found"}, status=404)
    except ValidationFailed as e:
        return JsonResponse({"error": "invalid", "message": str(e)}, status=400)
    if not saved:
        return JsonResponse({"error": "late"}, status=409)
    return HttpResponse(status=204)


@login_required
def result(request, sitting_id):
    s = _own_sitting(request, sitting_id)
    r = s.round
    show = r.show_result == Round.END or timezone.now() >= r.closes_at
    return render(request, "contests/result.html", {"s": s, "r": r, "show": show})


# --- organisers and the board ----------------------------------------------------------------


@login_required
def unit_contests(request, unit_id):
    unit = access_unit_by_id(request.user, unit_id, Capability.MANAGE_UNITS)
    form = ContestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        with action_errors(request, form=form) as outcome:
            c = actions.contest_create(
                actor=request.user, unit=unit, title=d.pop("title"),
                rules_text=d.pop("rules_text"), **d,
            )  # fmt: skip
        if outcome.ok:
            return redirect("contests:manage", contest_id=c.pk)
    return render(
        request,
        "contests/unit.html",
        {
            "unit": unit,
            "form": form,
            "contests": Contest.objects.filter(unit=unit).order_by("-created_at"),
        },
    )


@login_required
def manage(request, contest_id):
    c = Contest.objects.select_related("unit").filter(pk=int_or(contest_id)).first()
    if c is None or not can(request.user, c.unit, Capability.MANAGE_UNITS):
        raise NotFound()
    qform = QuestionForm(request.POST if "question" in request.POST else None, prefix="q")
    rform = RoundForm(request.POST if "round" in request.POST else None, prefix="r")
    if request.method == "POST":
        if "question" in request.POST and qform.is_valid():
            d = qform.cleaned_data
            with action_errors(request, form=qform) as outcome:
                actions.question_add(
                    actor=request.user, contest=c, text=d["text"], choices=d["choice_list"],
                    correct=d["correct"] - 1, category=d["category"],
                )  # fmt: skip
            if outcome.ok:
                return redirect("contests:manage", contest_id=c.pk)
        elif "round" in request.POST and rform.is_valid():
            d = dict(rform.cleaned_data)
            with action_errors(request, form=rform) as outcome:
                actions.round_add(actor=request.user, contest=c, **d)
            if outcome.ok:
                return redirect("contests:manage", contest_id=c.pk)
    bank: dict[str, int] = {}
    for cat in c.questions.values_list("category", flat=True):
        bank[cat] = bank.get(cat, 0) + 1
    return render(
        request,
        "contests/manage.html",
        {"c": c, "qform": qform, "rform": rform, "bank": sorted(bank.items()),
         "rounds": c.rounds.all()},
    )  # fmt: skip


@login_required
@replica_reads
def ranking(request, round_id):
    r = Round.objects.select_related("contest__unit").filter(pk=int_or(round_id)).first()
    if r is None:
        raise NotFound()
    c = _contest_for(request, r.contest_id)
    board = actions.is_board(request.user, c)
    if r.published_at is None and not board:
        raise NotFound()
    flagged = []
    if board and r.published_at is None:
        flagged = (
            Sitting.objects.filter(round=r)
            .exclude(flags=[])
            .select_related("person", "reviewed_by")
            .order_by("pk")[:500]
        )
    return render(
        request,
        "contests/ranking.html",
        {
            "r": r,
            "c": c,
            "board": board,
            "flagged": flagged,
            "rows": _ranking_rows(r)[:100],
            "closed": timezone.now() >= r.closes_at,
        },
    )


def _ranking_rows(r: Round) -> list[dict]:
    """A published round's rows as they were signed at publication (read, not recomputed:
    a round of 150,000 sittings takes over a second to rank); the board's preview ranks live."""
    if r.published_at is not None and r.results:
        return [
            {
                "rank": x["place"],
                "name": x["name"],
                "score": x["score"],
                "off": x["predictionOffBy"],
                "clock": _clock(x["timeMs"]),
                "tied": x["tiedButForOrder"],
            }  # fmt: skip
            for x in r.results["credentialSubject"]["ranking"]
        ]
    from suotdoi.people.models import Person

    ranked = selectors.ranking(r)[:100]
    names = dict(
        Person.objects.filter(pk__in=[x.result.person_id for x in ranked]).values_list(
            "pk", "full_name"
        )
    )
    return [
        {
            "rank": x.rank,
            "name": names.get(x.result.person_id, ""),
            "score": x.result.score,
            "off": None if x.result.prediction is None else x.distance,
            "clock": _clock(x.result.duration_ms),
            "tied": x.tied,
        }  # fmt: skip
        for x in ranked
    ]


def _clock(ms: int) -> str:
    """A sitting's time as minutes and seconds (tenths where it matters): 12:05,3."""
    seconds = ms / 1000
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}".replace(".", ",")


@login_required
@require_POST
def review(request, sitting_id):
    s = Sitting.objects.select_related("round__contest__unit").filter(pk=int_or(sitting_id)).first()
    if s is None or not actions.is_board(request.user, s.round.contest):
        raise NotFound()
    with action_errors(request):
        actions.review(
            actor=request.user, sitting=s, exclude=request.POST.get("exclude") == "1",
            reason=request.POST.get("reason", ""),
        )  # fmt: skip
    return redirect("contests:ranking", round_id=s.round_id)


@login_required
@require_POST
def publish(request, round_id):
    r = Round.objects.select_related("contest__unit").filter(pk=int_or(round_id)).first()
    if r is None or not actions.is_board(request.user, r.contest):
        raise NotFound()
    with action_errors(request):
        actions.publish(actor=request.user, round=r)
        messages.success(request, _("The results are published."))
    return redirect("contests:ranking", round_id=r.pk)


@login_required
def units(request, contest_id):
    from suotdoi.organisations.models import Unit

    c = _contest_for(request, contest_id)
    rates = selectors.unit_rates(c)
    names = dict(Unit.objects.filter(pk__in=[x.unit_id for x in rates]).values_list("pk", "name"))
    mine = None
    unit = Unit.objects.filter(pk=int_or(request.GET.get("unit"))).first()
    if (
        unit is not None
        and can(request.user, unit, Capability.VIEW_MEMBERS)
        and (unit.path.startswith(c.unit_path))
    ):
        mine = (unit, selectors.absent_members(c, unit)[:500])
    return render(
        request,
        "contests/units.html",
        {"c": c, "rows": [(x, names.get(x.unit_id, "")) for x in rates], "mine": mine},
    )


@login_required
@replica_reads
def results_json(request, round_id):
    """The published results as the organising unit signed them."""
    from django.http import JsonResponse

    r = Round.objects.select_related("contest").filter(pk=int_or(round_id)).first()
    if r is None or r.results is None:
        raise NotFound()
    _contest_for(request, r.contest_id)
    response = JsonResponse(r.results, json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="ket-qua-dot-{r.number}.json"'
    return response


@login_required
@require_POST
def certificates(request, round_id):
    r = Round.objects.select_related("contest__unit").filter(pk=int_or(round_id)).first()
    if r is None or not actions.is_board(request.user, r.contest):
        raise NotFound()
    with action_errors(request):
        n = actions.certificates_issue(
            actor=request.user, round=r, places=int_or(request.POST.get("places"), 0)
        )
        messages.success(request, _("Certificates issued: %(n)s.") % {"n": n})
    return redirect("contests:ranking", round_id=r.pk)
