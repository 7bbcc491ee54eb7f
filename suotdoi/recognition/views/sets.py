"""Criteria sets: the public rules, their versions, export and import."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from suotdoi.core.errors import NotFound
from suotdoi.core.parsing import int_or as _int
from suotdoi.web.flows import action_errors

from .. import transfer
from ..models import (
    Assessment,
    CriteriaSet,
    Indicator,
)


@login_required
def sets(request):
    return render(
        request,
        "recognition/sets.html",
        {
            "sets": CriteriaSet.objects.order_by("code", "-version"),
            "may_edit": request.user.is_superuser,
        },
    )


@login_required
def set_detail(request, set_id):
    cs = CriteriaSet.objects.filter(pk=_int(set_id)).first()
    if cs is None:
        raise NotFound()
    if request.method == "POST":
        if not request.user.is_superuser:
            raise NotFound()
        p = request.POST
        with action_errors(request):
            if "copy" in p:
                new = transfer.set_copy(
                    actor=request.user,
                    criteria_set=cs,
                    code=p.get("new_code", "")[:60],
                    title=p.get("new_title", "")[:200],
                )
            elif "add" in p:
                new = transfer.indicator_add(
                    actor=request.user,
                    criteria_set=cs,
                    criterion_title=p.get("criterion", "")[:300],
                    code=p.get("code", "")[:30],
                    text=p.get("text", "")[:500],
                    measure=p.get("measure", ""),
                    max_points=p.get("max_points", ""),
                    target=p.get("target", ""),
                    metric=p.get("metric", ""),
                    share_of=p.get("share_of", "")[:60],
                    level=_int(p.get("level")) if p.get("level") else 0,
                )
            elif "remove" in p:
                new = transfer.indicator_remove(
                    actor=request.user, criteria_set=cs, code=p.get("code", "")
                )
            else:
                new = transfer.indicator_edit(
                    actor=request.user,
                    criteria_set=cs,
                    code=p.get("code", ""),
                    text=p.get("text", "")[:500],
                    max_points=p.get("max_points", ""),
                    target=p.get("target", ""),
                )
            messages.success(request, _("Saved as version %(v)s.") % {"v": new.version})
            return redirect("recognition:set", set_id=new.pk)
    return render(
        request,
        "recognition/set.html",
        {
            "cs": cs,
            "criteria": cs.criteria.prefetch_related("indicators"),
            "may_edit": request.user.is_superuser,
            "in_use": Assessment.objects.filter(criteria_set=cs).exists(),
            "measures": Indicator._meta.get_field("measure").choices,
            "metrics": Indicator._meta.get_field("metric").choices,
            "titles": {
                c.code: c for c in CriteriaSet.objects.order_by("code", "-version")
            }.values(),
        },
    )


@login_required
def set_export(request, set_id):
    cs = CriteriaSet.objects.filter(pk=_int(set_id)).first()
    if cs is None:
        raise NotFound()
    response = HttpResponse(
        json.dumps(transfer.export_set(cs), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{cs.code}-v{cs.version}.json"'
    return response


@login_required
def set_import(request):
    if not request.user.is_superuser:
        raise NotFound()
    if request.method == "POST":
        upload = request.FILES.get("file")
        with action_errors(request):
            if upload is None or upload.size > 1024 * 1024:
                raise transfer.BadSet(_("Choose a JSON file of at most 1 MB."))
            with transaction.atomic():
                cs = transfer.import_set(actor=request.user, data=upload.read())
            messages.success(
                request, _("Imported: %(t)s, version %(v)s.") % {"t": cs.title, "v": cs.version}
            )
            return redirect("recognition:set", set_id=cs.pk)
    return redirect("recognition:sets")
