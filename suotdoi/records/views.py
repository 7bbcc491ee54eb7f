"""My record, self-declared learning, the verification queue, exports."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from suotdoi.core.errors import ApplicationError
from suotdoi.organisations.selectors import memberships_of
from suotdoi.web.flows import action_errors

from . import actions, selectors
from .access import access_entry_to_verify_by_id, access_own_entry_by_id
from .exporting import record_as_json
from .forms import DeclareForm, GoalForm, RejectForm
from .models import NOT_COUNTING, Provenance
from .panels import record_panels


@login_required
def my_record(request):
    year = timezone.localdate().year
    entries = Paginator(selectors.entry_list_for(person=request.user), 30).get_page(
        request.GET.get("page")
    )
    summary = selectors.record_summary(person=request.user, year=year)
    goal_form = GoalForm(
        request.POST or None, initial={"hours": summary["goal"].hours if summary["goal"] else 40}
    )
    if request.method == "POST" and goal_form.is_valid():
        actions.goal_set(actor=request.user, year=year, hours=goal_form.cleaned_data["hours"])
        messages.success(request, _("Your goal has been saved."))
        return redirect("records:mine")
    return render(
        request,
        "records/my_record.html",
        {
            "entries": entries,
            "summary": summary,
            "year": year,
            "goal_form": goal_form,
            "panels": record_panels(person=request.user),
            "consents": request.user.assist_consents.filter(
                withdrawn_at__isnull=True
            ).select_related("unit"),
        },
    )


def _own_units(person):
    return [m.unit for m in memberships_of(person=person)]


@login_required
def entry_declare(request):
    units = _own_units(request.user)
    form = DeclareForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        initial={"key": actions.new_declaration_key(), "unit": units[0].pk if units else None},
    )
    if request.method == "POST" and form.is_valid():
        with action_errors(request, form=form, field=None) as outcome:
            entry, created = actions.entry_record(
                actor=request.user,
                person=request.user,
                provenance=Provenance.SELF_DECLARED,
                unit=form.cleaned_data["unit"],
                **form.entry_fields(),
            )
        if outcome.ok:
            messages.success(
                request,
                _("Saved in your learning record.") if created else _("This was already saved."),
            )
            return redirect("records:mine")
    return render(request, "records/declare.html", {"form": form})


@login_required
def export_json(request):
    data = record_as_json(person=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="ho-so-hoc-tap.json"'
    return response


@login_required
def transcript(request):
    from .transcript import transcript_pdf

    try:
        pdf = transcript_pdf(person=request.user, base_url=request.build_absolute_uri("/"))
    except OSError:
        # WeasyPrint needs the system's Pango library (apt-get install libpango-1.0-0).
        messages.error(
            request,
            _(
                "The PDF cannot be made on this server right now. "
                "Your record is safe; try the JSON download."
            ),
        )
        return redirect("records:mine")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="ho-so-hoc-tap.pdf"'
    return response


@login_required
def verify_queue(request):
    page = Paginator(selectors.verification_queue(actor=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "records/verify_queue.html", {"page": page})


@require_POST
@login_required
def verify_bulk(request):
    chosen = request.POST.getlist("entry")[:200]
    if not chosen:
        messages.warning(request, _("Tick the entries to verify first."))
        return redirect("records:verify_queue")
    done = 0
    for entry_id in chosen:
        entry = access_entry_to_verify_by_id(request.user, entry_id)
        try:
            actions.entry_verify(actor=request.user, entry=entry)
            done += 1
        except ApplicationError:
            continue
    messages.success(
        request,
        ngettext("%(n)s entry verified.", "%(n)s entries verified.", done) % {"n": done},
    )
    return redirect("records:verify_queue")


@login_required
def entry_reject(request, entry_id: int):
    entry = access_entry_to_verify_by_id(request.user, entry_id)
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with action_errors(request, form=form, field=None) as outcome:
            actions.entry_reject(
                actor=request.user, entry=entry, reason=form.cleaned_data["reason"]
            )
        if outcome.ok:
            messages.success(request, _("The learner has been told why."))
            return redirect("records:verify_queue")
    return render(request, "records/reject.html", {"form": form, "entry": entry})


@login_required
def entry_detail(request, entry_id: int):
    entry = access_own_entry_by_id(request.user, entry_id)
    return render(request, "records/entry_detail.html", {"entry": entry})


@login_required
def venue_poster(request, unit_id: int):
    import segno

    from suotdoi.core.errors import NotFound
    from suotdoi.organisations.access import access_unit_by_id
    from suotdoi.organisations.policies import Capability

    from .venues import venue_token, venue_visitor_counts

    venue = access_unit_by_id(request.user, unit_id, Capability.MANAGE_MEMBERS)
    if not venue.unit_type.is_venue:
        raise NotFound()
    url = request.build_absolute_uri(f"/record/visit/{venue_token(venue)}/")
    qr = segno.make(url, error="m").svg_inline(scale=8, title=venue.name)
    return render(
        request,
        "records/venue_poster.html",
        {
            "venue": venue,
            "url": url,
            "qr": qr,
            "counts": venue_visitor_counts(venue=venue),
        },
    )


@login_required
def venue_visit(request, token: str):
    from .venues import access_venue_by_token, venue_visit_record

    venue = access_venue_by_token(token)
    if request.method == "POST":
        entry, created = venue_visit_record(actor=request.user, venue=venue)
        messages.success(
            request,
            _("Your visit to %(venue)s is in your learning record.") % {"venue": venue.name}
            if created
            else _("Your visit today was already recorded."),
        )
        return redirect("records:mine")
    return render(request, "records/venue_visit.html", {"venue": venue})


@login_required
def entry_evidence(request, entry_id: int):
    """The evidence file, for its owner and for the officers who may verify the entry."""
    from django.http import FileResponse

    from suotdoi.core.errors import NotFound

    try:
        entry = access_own_entry_by_id(request.user, entry_id)
    except NotFound:
        entry = access_entry_to_verify_by_id(request.user, entry_id)
    if not entry.evidence_file:
        raise NotFound()
    name = entry.evidence_file.name.rsplit("/", 1)[-1]
    kind = (
        "application/pdf"
        if name.lower().endswith(".pdf")
        else ("image/png" if name.lower().endswith(".png") else "image/jpeg")
    )
    return FileResponse(entry.evidence_file.open("rb"), content_type=kind, filename=name)


@login_required
def entry_correct(request, entry_id: int):
    """A learner corrects their own entry: a new entry supersedes it; history is kept."""
    from .forms import CorrectForm

    entry = access_own_entry_by_id(request.user, entry_id)
    if entry.provenance == Provenance.ISSUED or entry.status == "superseded":
        from suotdoi.core.errors import NotFound

        raise NotFound()
    form = CorrectForm(
        request.POST or None,
        initial={"title": entry.title, "start_date": entry.start_date, "hours": entry.hours},
    )
    if request.method == "POST" and form.is_valid():
        with action_errors(request, form=form, field=None) as outcome:
            new = actions.entry_supersede(actor=request.user, entry=entry, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("Corrected. The earlier version stays in your history."))
            return redirect("records:entry", entry_id=new.pk)
    return render(request, "records/correct.html", {"form": form, "entry": entry})


@login_required
def shares(request):
    from .models import RecordShare

    if request.method == "POST":
        if request.POST.get("revoke"):
            share = RecordShare.objects.filter(
                pk=request.POST["revoke"], person=request.user
            ).first()
            if share:
                actions.record_share_revoke(actor=request.user, share=share)
                messages.success(request, _("The link no longer works."))
        else:
            actions.record_share_create(actor=request.user)
            messages.success(request, _("A new link has been made. It works for 30 days."))
        return redirect("records:shares")
    items = RecordShare.objects.filter(person=request.user)[:20]
    return render(
        request,
        "records/shares.html",
        {
            "items": items,
            "now": timezone.now(),
            "base": request.build_absolute_uri("/record/shared/"),
        },
    )


def shared_record(request, token: str):
    """What a learner chose to show: their year in learning, verified entries marked."""
    from .access import access_share_by_token

    share = access_share_by_token(token)
    actions.record_share_opened(share=share)
    year = timezone.localdate().year
    entries = selectors.entry_list_for(person=share.person).exclude(status__in=NOT_COUNTING)[:200]
    response = render(
        request,
        "records/shared.html",
        {
            "person": share.person,
            "year": year,
            "entries": entries,
            "summary": selectors.record_summary(person=share.person, year=year),
            "expires_at": share.expires_at,
        },
    )
    response["X-Robots-Tag"] = "noindex"
    # same-origin: the token in the address never leaves the site, and the browser still sends
    # its Origin on the page's own forms (with no-referrer it sends "Origin: null", which CSRF
    # refuses).
    response["Referrer-Policy"] = "same-origin"
    return response
