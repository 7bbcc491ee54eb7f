"""Pages of stories. Officers: a unit's stories, nominating a member from what the record
holds, writing, photos, asking consent, approving, featuring, taking down. The subject: the
consent page and their stories. Everyone: published stories, light enough for a cheap phone,
with the previews social networks read."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from suotdoi.core.errors import NotFound
from suotdoi.core.parsing import int_or
from suotdoi.organisations.access import (
    access_membership_by_id,
    access_unit_by_id,
    grants_for,
)
from suotdoi.organisations.models import Unit
from suotdoi.organisations.policies import Capability
from suotdoi.web.flows import action_errors

from . import actions, selectors
from .access import access_story_officer, access_story_private, access_story_subject
from .forms import CodeConsentForm, PhotoForm, StoryForm, TakeDownForm
from .models import Story, Topic


@login_required
def manage(request, unit_id):
    from suotdoi.organisations.selectors import membership_list

    unit = access_unit_by_id(request.user, unit_id, Capability.MANAGE_MEMBERS)
    q = request.GET.get("q", "").strip()[:80]
    found = list(membership_list(unit=unit, query=q)[:20]) if q else []
    stories = Story.objects.filter(unit_path__startswith=unit.path).order_by("-created_at")[:100]
    return render(
        request, "stories/manage.html", {"unit": unit, "q": q, "found": found, "stories": stories}
    )


@login_required
def nominate(request, membership_id):
    """A story about a member (or the family they speak for), from their record, a recognition
    decision or a commendation (`?from=decision:12`): the facts come from the system."""
    m = access_membership_by_id(request.user, membership_id)
    origin = request.GET.get("from", "")
    source = origin if re.fullmatch(r"(decision|commendation):\d{1,12}", origin) else "record"
    form = StoryForm(request.POST or None, kinds=[Story.PERSON, Story.FAMILY])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with action_errors(request, form=form) as outcome:
            story = actions.story_nominate(
                actor=request.user,
                unit=m.unit,
                subject_kind=d["kind"],
                subject=m.person,
                topic=d["topic"],
                title=d["title"],
                body=d["body"],
                short_text=d["short_text"],
                source=source,
            )
        if outcome.ok:
            messages.success(request, _("The story is drafted. Add photos, then ask for consent."))
            return redirect("stories:edit", story_id=story.pk)
    return render(
        request,
        "stories/nominate.html",
        {"m": m, "form": form, "facts": selectors.facts_for(person=m.person)},
    )


@login_required
def nominate_unit(request, unit_id):
    """A story about the unit itself or a model it runs: no single person consents; the
    approving officer answers for it."""
    unit = access_unit_by_id(request.user, unit_id, Capability.MANAGE_MEMBERS)
    form = StoryForm(request.POST or None, kinds=[Story.UNIT, Story.MODEL])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with action_errors(request, form=form) as outcome:
            story = actions.story_nominate(
                actor=request.user,
                unit=unit,
                subject_kind=d["kind"],
                subject_unit=unit,
                topic=d["topic"],
                title=d["title"],
                body=d["body"],
                short_text=d["short_text"],
                source="unit",
            )
        if outcome.ok:
            messages.success(request, _("The story is drafted. Add photos, then ask for consent."))
            return redirect("stories:edit", story_id=story.pk)
    return render(
        request,
        "stories/nominate_unit.html",
        {"unit": unit, "form": form, "facts": selectors.facts_for_unit(unit=unit)},
    )


def _feature_units(actor, story):
    """The units above (or at) the story's unit where the actor may feature it."""
    paths = {g.path for g in grants_for(actor) if g.allows(Capability.MANAGE_MEMBERS)}
    ok = [p for p in paths if story.unit_path.startswith(p)]
    return list(Unit.objects.filter(path__in=ok).order_by("depth"))


@login_required
def edit(request, story_id):
    story = access_story_officer(request.user, story_id)
    form = StoryForm(
        request.POST if "save" in request.POST else None,
        initial={
            "topic": story.topic,
            "title": story.title,
            "short_text": story.short_text,
            "body": story.body,
        },
    )
    photo_form = PhotoForm(
        request.POST if "photo" in request.POST else None,
        request.FILES if "photo" in request.POST else None,
    )
    code_form = CodeConsentForm(request.POST if "code_consent" in request.POST else None)
    down_form = TakeDownForm(request.POST if "take_down" in request.POST else None)
    if request.method == "POST":
        done = None
        with action_errors(request) as outcome:
            if "save" in request.POST and form.is_valid():
                d = form.cleaned_data
                actions.story_edit(
                    actor=request.user,
                    story=story,
                    title=d["title"],
                    body=d["body"],
                    short_text=d["short_text"],
                    topic=d["topic"],
                )
                done = _("Saved. Ask for consent again: the text changed.")
            elif "photo" in request.POST and photo_form.is_valid():
                d = photo_form.cleaned_data
                actions.photo_add(
                    actor=request.user,
                    story=story,
                    upload=d["photo"],
                    caption=d["caption"],
                    alt_text=d["alt_text"],
                )
                done = _("The photo is added, without its location or camera data.")
            elif "ask" in request.POST:
                actions.consent_ask(actor=request.user, story=story)
                done = _("Asked. They will find it among their things to do.")
            elif "send_code" in request.POST:
                actions.consent_code_send(actor=request.user, story=story)
                done = _("A code is sent to their phone.")
            elif "code_consent" in request.POST and code_form.is_valid():
                actions.consent_give(
                    person=None,
                    story=story,
                    photos=request.POST.getlist("photos"),
                    facts=request.POST.getlist("facts"),
                    code=code_form.cleaned_data["code"],
                    recorded_by=request.user,
                )
                done = _("Their consent is recorded.")
            elif "approve" in request.POST:
                actions.story_approve(actor=request.user, story=story)
                done = _("Published.")
            elif "feature" in request.POST:
                unit = next(
                    (
                        u
                        for u in _feature_units(request.user, story)
                        if u.pk == int_or(request.POST.get("feature"))
                    ),
                    None,
                )
                if unit is None:
                    raise NotFound()
                actions.story_feature(actor=request.user, story=story, unit=unit)
                done = _("Featured on %(unit)s's public page.") % {"unit": unit.name}
            elif "take_down" in request.POST and down_form.is_valid():
                actions.story_take_down(
                    actor=request.user, story=story, reason=down_form.cleaned_data["reason"]
                )
                done = _("Taken down.")
        if outcome.ok and done:
            messages.success(request, done)
            return redirect("stories:edit", story_id=story.pk)
        story.refresh_from_db()
    consent = selectors.live_consent(story)
    return render(
        request,
        "stories/edit.html",
        {
            "s": story,
            "form": form,
            "photo_form": photo_form,
            "code_form": code_form,
            "down_form": down_form,
            "photos": list(story.photos.all()),
            "consent": consent,
            "shown": selectors.shown(story),
            "feature_units": _feature_units(request.user, story)
            if story.status == Story.PUBLISHED
            else [],
            "consenter": selectors.consenter_of(story),
        },
    )


@login_required
def consent(request, story_id):
    story = access_story_subject(request.user, story_id)
    if request.method == "POST":
        with action_errors(request) as outcome:
            if "agree" in request.POST:
                actions.consent_give(
                    person=request.user,
                    story=story,
                    photos=request.POST.getlist("photos"),
                    facts=request.POST.getlist("facts"),
                )
                done = _("Thank you. The unit may now publish what you agreed to.")
            elif "decline" in request.POST:
                actions.consent_decline(person=request.user, story=story)
                done = _("You said no. Nothing is published.")
            else:
                actions.consent_withdraw(person=request.user, story=story)
                done = _("Your consent is withdrawn. The story is no longer public.")
        if outcome.ok:
            messages.success(request, done)
            return redirect("stories:consent", story_id=story.pk)
    mine = story.consents.filter(person=request.user, withdrawn_at__isnull=True).first()
    return render(
        request,
        "stories/consent.html",
        {"s": story, "photos": list(story.photos.all()), "mine": mine},
    )


@login_required
def photo(request, story_id, photo_id, size):
    """A photo before (or whatever) its publication: for the subject, the guardian and the
    unit's officers only, never cached by a shared cache."""
    story = access_story_private(request.user, story_id)
    if size not in ("full", "thumb"):
        raise NotFound()
    p = story.photos.filter(pk=int_or(photo_id)).first()
    if p is None:
        raise NotFound()
    response = FileResponse(
        (p.image if size == "full" else p.thumb).open("rb"), content_type="image/jpeg"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def mine(request):
    from django.db.models import Q

    stories = Story.objects.filter(Q(subject=request.user) | Q(guardian=request.user)).order_by(
        "-created_at"
    )
    return render(request, "stories/mine.html", {"stories": stories})


def _cards(stories) -> list[tuple]:
    photos = selectors.first_photo(stories)
    return [(s, photos.get(s.pk)) for s in stories]


def _gone(request, story):
    html = render_to_string("stories/gone.html", {"s": story}, request=request)
    return HttpResponse(html, status=410)


def public_list(request):
    q = request.GET.get("q", "").strip()[:100]
    topic = request.GET.get("topic", "")
    topic = topic if topic in Topic.values else ""
    under = Unit.objects.filter(pk=int_or(request.GET.get("unit"))).first()
    stories = list(selectors.public_stories(q=q, topic=topic, under=under)[:30])
    # Places to choose from: the trees and their provinces that have a published story.
    step = Unit.steplen
    paths = set(
        Story.objects.filter(status=Story.PUBLISHED).values_list("unit_path", flat=True)[:5000]
    )
    prefixes = {p[:step] for p in paths} | {p[: 2 * step] for p in paths if len(p) >= 2 * step}
    areas = Unit.objects.filter(path__in=prefixes).order_by("path")
    return render(
        request,
        "stories/public_list.html",
        {
            "cards": _cards(stories),
            "q": q,
            "topic": topic,
            "topics": Topic.choices,
            "under": under,
            "areas": areas,
        },
    )


def public_story(request, public_id):
    story = Story.objects.select_related("unit", "subject").filter(public_id=public_id).first()
    if (
        story is None
        or story.status not in (Story.PUBLISHED, Story.WITHDRAWN, Story.TAKEN_DOWN)
        or (story.status != Story.PUBLISHED and story.published_at is None)
    ):
        raise NotFound()
    if story.status != Story.PUBLISHED:
        return _gone(request, story)
    shown = selectors.shown(story)
    return render(request, "stories/public_story.html", {"s": story, "shown": shown})


def public_photo(request, public_id, photo_id, size):
    story = Story.objects.filter(public_id=public_id, status=Story.PUBLISHED).first()
    if story is None or size not in ("full", "thumb"):
        raise NotFound()
    photo = next((p for p in selectors.shown(story)["photos"] if p.pk == int_or(photo_id)), None)
    if photo is None:
        raise NotFound()
    f = photo.image if size == "full" else photo.thumb
    response = FileResponse(f.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=300"
    return response


def unit_public(request, unit_id):
    from django.utils import timezone

    unit = Unit.objects.select_related("unit_type").filter(pk=int_or(unit_id)).first()
    if unit is None:
        raise NotFound()
    stories = list(selectors.featured_for(unit)[:12])
    from suotdoi.campaigns.selectors import open_campaigns_of
    from suotdoi.recognition.selectors import public_titles_of

    return render(
        request,
        "stories/unit_public.html",
        {
            "unit": unit,
            "cards": _cards(stories),
            "campaigns": open_campaigns_of(unit=unit, today=timezone.localdate()),
            "titles": public_titles_of(unit=unit, year=timezone.localdate().year),
        },
    )
