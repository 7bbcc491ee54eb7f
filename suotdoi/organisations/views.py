"""Pages for units, members and imports. Each view: parse, access_*, one action or selector."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from suotdoi.audit.selectors import audit_events_for_subtree
from suotdoi.core.errors import NotFound
from suotdoi.web.flows import action_errors
from suotdoi.web.panels import unit_panels

from . import actions, exporting, import_actions, importing, invitations, selectors
from .access import (
    access_import_by_id,
    access_membership_by_id,
    access_own_invitation,
    access_unit_by_id,
    access_unit_invitation,
    can,
)
from .forms import (
    ImportUploadForm,
    MemberAddForm,
    MemberFilterForm,
    MembershipEndForm,
    UnitForm,
    UnitMergeForm,
    UnitMoveForm,
)
from .models import Unit
from .policies import Capability

PAGE_SIZE = 50


@login_required
def my_units(request):
    roots = selectors.unit_roots_for(person=request.user)
    counts = selectors.unit_subtree_counts(units=roots)
    return render(
        request, "organisations/my_units.html", {"roots": [(u, counts[u.pk]) for u in roots]}
    )


@login_required
def my_memberships(request):
    items = selectors.memberships_of(person=request.user, active_only=False)
    invitations = selectors.invitations_for(person=request.user)
    return render(
        request,
        "organisations/my_memberships.html",
        {"items": items, "invitations": invitations},
    )


@login_required
@require_POST
def invitation_answer(request, invitation_id: int, answer: str):
    inv = access_own_invitation(request.user, invitation_id)
    with action_errors(request):
        if answer == "accept":
            invitations.invitation_accept(actor=request.user, invitation=inv)
            messages.success(
                request, _("You are now a member of %(unit)s.") % {"unit": inv.unit.name}
            )
        else:
            invitations.invitation_decline(actor=request.user, invitation=inv)
            messages.info(request, _("You declined the invitation."))
    return redirect("organisations:my_memberships")


@login_required
@require_POST
def invitation_withdraw(request, invitation_id: int):
    inv = access_unit_invitation(request.user, invitation_id)
    with action_errors(request):
        invitations.invitation_withdraw(actor=request.user, invitation=inv)
        messages.info(request, _("The invitation was withdrawn."))
    return redirect("organisations:member_list", unit_id=inv.unit_id)


@login_required
def unit_detail(request, unit_id: int):
    unit = access_unit_by_id(request.user, unit_id)
    children = selectors.unit_children(unit=unit)
    page = Paginator(children, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.unit_subtree_counts(units=list(page.object_list))
    ctx = {
        "unit": unit,
        "ancestors": [
            a for a in selectors.unit_ancestors(unit=unit) if can(request.user, a, Capability.VIEW)
        ],
        "children_page": page,
        "children": [(c, counts[c.pk]) for c in page.object_list],
        "member_total": selectors.unit_subtree_member_count(unit=unit),
        "officers": selectors.unit_officers(unit=unit),
        "events": audit_events_for_subtree(path=unit.path, limit=10)
        if can(request.user, unit, Capability.VIEW_AUDIT)
        else [],
        "can_manage_members": can(request.user, unit, Capability.MANAGE_MEMBERS),
        "can_manage_units": can(request.user, unit, Capability.MANAGE_UNITS),
        "history": unit.events.all()[:10],
    }
    ctx["panels"] = unit_panels(unit=unit, actor=request.user, member_total=ctx["member_total"])
    return render(request, "organisations/unit_detail.html", ctx)


@login_required
def unit_children_partial(request, unit_id: int):
    """Lazy tree browser: the children of one unit, loaded when it is opened."""
    unit = access_unit_by_id(request.user, unit_id)
    page = Paginator(selectors.unit_children(unit=unit), 200).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/_tree_children.html",
        {"unit": unit, "children": page.object_list, "page": page},
    )


@login_required
def unit_add_child(request, unit_id: int):
    parent = access_unit_by_id(request.user, unit_id, Capability.MANAGE_UNITS)
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with action_errors(request, form=form, field="code") as outcome:
            child = actions.unit_create(actor=request.user, parent=parent, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("The unit has been created."))
            return redirect("organisations:unit_detail", unit_id=child.pk)
    return render(
        request,
        "organisations/unit_form.html",
        {"form": form, "unit": parent, "title": _("Add a unit below")},
    )


@login_required
def unit_edit(request, unit_id: int):
    unit = access_unit_by_id(request.user, unit_id, Capability.MANAGE_UNITS)
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        with action_errors(request, form=form, field="code") as outcome:
            actions.unit_update(
                actor=request.user, unit=Unit.objects.get(pk=unit.pk), data=form.cleaned_data
            )
        if outcome.ok:
            messages.success(request, _("The unit has been saved."))
            return redirect("organisations:unit_detail", unit_id=unit.pk)
    return render(
        request,
        "organisations/unit_form.html",
        {"form": form, "unit": unit, "title": _("Edit unit")},
    )


def _unit_by_code_in_scope(request, unit: Unit, code: str, capability: Capability):
    target = Unit.objects.filter(tree_key=unit.tree_key, code=code.strip().upper()).first()
    if target is None or not can(request.user, target, capability):
        return None
    return target


def _restructure(request, unit_id, *, form_class, code_field, run, done, title):
    """Move and merge share one shape: a target unit by code (within the actor's scope), an
    effective date, one action, the unit page afterwards."""
    unit = access_unit_by_id(request.user, unit_id, Capability.MANAGE_UNITS)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = _unit_by_code_in_scope(
            request, unit, form.cleaned_data[code_field], Capability.MANAGE_UNITS
        )
        if target is None:
            form.add_error(code_field, _("No unit with this code that you manage."))
        else:
            with action_errors(request, form=form, field=None) as outcome:
                landing = run(unit, target, form.cleaned_data["effective_date"])
            if outcome.ok:
                messages.success(request, done)
                return redirect("organisations:unit_detail", unit_id=landing.pk)
    return render(
        request, "organisations/unit_form.html", {"form": form, "unit": unit, "title": title}
    )


@login_required
def unit_move(request, unit_id: int):
    def run(unit, target, date):
        return actions.unit_move(
            actor=request.user, unit=unit, new_parent=target, effective_date=date
        )

    return _restructure(
        request,
        unit_id,
        form_class=UnitMoveForm,
        code_field="new_parent_code",
        run=run,
        done=_("The unit has been moved."),
        title=_("Move this unit"),
    )


@login_required
def unit_merge(request, unit_id: int):
    def run(unit, target, date):
        actions.unit_merge(actor=request.user, source=unit, target=target, effective_date=date)
        return target

    return _restructure(
        request,
        unit_id,
        form_class=UnitMergeForm,
        code_field="target_code",
        run=run,
        done=_("The units have been merged."),
        title=_("Merge into another unit"),
    )


def _filter_data(request):
    """Filters from the query string. A link without the form's marker (f=1) gets the
    defaults: the whole subtree, current members — an unchecked box is absent from GET."""
    data = request.GET.copy()
    if "f" not in data:
        data.setdefault("subtree", "on")
        data.setdefault("active", "active")
    return data


def _filtered_members(request, unit):
    """The member list a request asks for, and whether it asked for no filter at all."""
    form = MemberFilterForm(_filter_data(request))
    f = form.cleaned_data if form.is_valid() else {"subtree": True, "active": "active"}
    active = f.get("active") or "active"
    qs = selectors.membership_list(
        unit=unit,
        include_subtree=bool(f.get("subtree")),
        query=f.get("q", ""),
        role=f.get("role", ""),
        unit_type=f.get("unit_type", ""),
        active=active,
    )
    unfiltered = (
        bool(f.get("subtree"))
        and active == "active"
        and not (f.get("q") or f.get("role") or f.get("unit_type"))
    )
    return form, qs, unfiltered


@login_required
def member_list(request, unit_id: int):
    unit = access_unit_by_id(request.user, unit_id, Capability.VIEW_MEMBERS)
    form, qs, unfiltered = _filtered_members(request, unit)
    paginator = Paginator(qs, PAGE_SIZE)
    if unfiltered:
        # The total is the pre-aggregated subtree count, not a scan of hundreds of
        # thousands of memberships.
        paginator.count = selectors.unit_subtree_member_count(unit=unit)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    ctx = {
        "unit": unit,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_manage": can(request.user, unit, Capability.MANAGE_MEMBERS),
    }
    if ctx["can_manage"] and not request.headers.get("HX-Request"):
        ctx["invitations"] = list(selectors.invitations_sent(unit=unit)[:50])
    template = (
        "organisations/_member_rows.html"
        if request.headers.get("HX-Request")
        else "organisations/member_list.html"
    )
    return render(request, template, ctx)


@login_required
def member_export(request, unit_id: int):
    unit = access_unit_by_id(request.user, unit_id, Capability.VIEW_MEMBERS)
    _form, qs, _unfiltered = _filtered_members(request, unit)
    actions.membership_export_record(actor=request.user, unit=unit)
    fh = exporting.members_xlsx(qs)
    return FileResponse(
        fh, as_attachment=True, filename=f"thanh-vien-{unit.code}.xlsx", content_type=exporting.XLSX
    )


@login_required
def member_add(request, unit_id: int):
    unit = access_unit_by_id(request.user, unit_id, Capability.MANAGE_MEMBERS)
    form = MemberAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with action_errors(request, form=form, field="role") as outcome:
            done = actions.member_register(
                actor=request.user,
                unit=unit,
                role=d["role"],
                position_title=d["position_title"],
                start_date=d["start_date"],
                full_name=d["full_name"],
                phone=d["phone"] or None,
                email=d["email"] or None,
                national_id=d["national_id"],
                date_of_birth=d["date_of_birth"],
                gender=d["gender"],
                occupation_group=d["occupation_group"],
                income_group=d["income_group"],
                consent_note=_("Consent confirmed by %(name)s") % {"name": request.user.full_name},
            )
        if outcome.ok:
            if done.invitation is not None:
                # Nothing about an existing account is shown before the person accepts.
                messages.info(
                    request,
                    _(
                        "This person already has an account on Suốt Đời. They have been sent an "
                        "invitation to %(unit)s and will appear in the list when they accept."
                    )
                    % {"unit": unit.name},
                )
                return redirect("organisations:member_list", unit_id=unit.pk)
            name = done.membership.person.full_name
            if done.created:
                messages.success(
                    request,
                    _("%(name)s is now a member of %(unit)s.") % {"name": name, "unit": unit.name},
                )
            else:
                messages.info(request, _("%(name)s was already a member.") % {"name": name})
            return redirect("organisations:member_list", unit_id=unit.pk)
    return render(request, "organisations/member_add.html", {"form": form, "unit": unit})


@login_required
def membership_end(request, membership_id: int):
    m = access_membership_by_id(request.user, membership_id)
    form = MembershipEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with action_errors(request, form=form, field="end_date") as outcome:
            actions.membership_end(
                actor=request.user,
                membership=m,
                end_date=form.cleaned_data["end_date"],
                reason=form.cleaned_data["reason"],
            )
        if outcome.ok:
            messages.success(request, _("The membership has ended. It stays in the history."))
            return redirect("organisations:member_list", unit_id=m.unit_id)
    return render(request, "organisations/membership_end.html", {"form": form, "m": m})


# --- Import -----------------------------------------------------------------------------


@login_required
def import_template(request, unit_id: int):
    unit = access_unit_by_id(request.user, unit_id, Capability.MANAGE_MEMBERS)
    response = HttpResponse(importing.template_bytes(unit=unit), content_type=exporting.XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-thanh-vien.xlsx"'
    return response


@login_required
def import_start(request, unit_id: int):
    unit = access_unit_by_id(request.user, unit_id, Capability.MANAGE_MEMBERS)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > importing.settings.SUOTDOI_MAX_IMPORT_BYTES:
            data = b"\0" * 0  # never read a huge file into memory
            form.add_error(
                "file",
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "size": round(upload.size / 1048576, 1),
                    "limit": importing.settings.SUOTDOI_MAX_IMPORT_BYTES // 1048576,
                },
            )
        else:
            data = upload.read()
            imp = import_actions.member_import_upload(
                actor=request.user, unit=unit, file_name=upload.name, data=data
            )
            return redirect("organisations:import_detail", import_id=imp.pk)
    recent = unit.imports.select_related("uploaded_by")[:10]
    return render(
        request, "organisations/import_start.html", {"form": form, "unit": unit, "recent": recent}
    )


@login_required
def import_detail(request, import_id: int):
    imp = access_import_by_id(request.user, import_id)
    ctx = {
        "imp": imp,
        "unit": imp.unit,
        "progress": import_actions.import_progress(imp),
        "errors": imp.row_errors[:200],
    }
    if request.headers.get("HX-Request"):
        return render(request, "organisations/_import_progress.html", ctx)
    return render(request, "organisations/import_detail.html", ctx)


@require_POST
@login_required
def import_confirm(request, import_id: int):
    imp = access_import_by_id(request.user, import_id)
    import_actions.member_import_confirm(actor=request.user, imp=imp)
    return redirect("organisations:import_detail", import_id=imp.pk)


@login_required
def import_errors_xlsx(request, import_id: int):
    imp = access_import_by_id(request.user, import_id)
    if not imp.row_errors:
        raise NotFound()
    data = importing.errors_workbook(header=imp.header, invalid=imp.row_errors)
    response = HttpResponse(data, content_type=exporting.XLSX)
    response["Content-Disposition"] = 'attachment; filename="dong-can-sua.xlsx"'
    return response
