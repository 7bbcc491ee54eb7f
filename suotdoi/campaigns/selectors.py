from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.db.models.functions import Length, Substr
from django.utils import timezone

from suotdoi.organisations.models import Unit

from .models import Task


def rollup(*, campaign, focus: Unit | None) -> dict:
    """Totals over every task in `focus`'s subtree, or of the whole campaign (every tree of a
    joint campaign) when `focus` is None: one aggregate query."""
    tasks = Task.objects.filter(campaign=campaign)
    if focus is not None:
        tasks = tasks.filter(unit_path__startswith=focus.path)
    row = tasks.aggregate(
        tasks=Count("pk"),
        done=Count("pk", filter=Q(done=True)),
        reported=Count("pk", filter=Q(reported_at__isnull=False)),
        sessions=Sum("sessions_held"),
        attendees=Sum("attendees"),
        members=Sum("members"),
        quiz_passed=Sum("quiz_passed"),
        reflections=Sum("reflections_accepted"),
    )
    return _rates(row)


def _rates(row: dict) -> dict:
    row = {k: int(v or 0) for k, v in row.items() if k != "prefix"} | {"prefix": row.get("prefix")}
    row["attendance_pct"] = round(100 * row["attendees"] / row["members"]) if row["members"] else 0
    row["done_pct"] = round(100 * row["done"] / row["tasks"]) if row["tasks"] else 0
    return row


def rows_at_depth(*, campaign, root: Unit, depth: int) -> list[dict]:
    """Every unit at `depth` below `root` that has tasks under it, rolled up (one query)."""
    width = depth * Unit.steplen
    groups = (
        Task.objects.filter(campaign=campaign, unit_path__startswith=root.path)
        .annotate(prefix=Substr("unit_path", 1, width), n=Length("unit_path"))
        .filter(n__gte=width)
        .values("prefix")
        .annotate(
            tasks=Count("pk"),
            done=Count("pk", filter=Q(done=True)),
            reported=Count("pk", filter=Q(reported_at__isnull=False)),
            sessions=Sum("sessions_held"),
            attendees=Sum("attendees"),
            members=Sum("members"),
        )
        .order_by("prefix")
    )
    rows = [_rates(g) for g in groups]
    units = {u.path: u for u in Unit.objects.filter(path__in=[r["prefix"] for r in rows])}
    return [r | {"unit": units[r["prefix"]]} for r in rows if r["prefix"] in units]


def task_depths(*, campaign) -> list[int]:
    lengths = (
        Task.objects.filter(campaign=campaign)
        .annotate(n=Length("unit_path"))
        .values_list("n", flat=True)
        .distinct()
    )
    return sorted({n // Unit.steplen for n in lengths})


def dashboard_rows(*, campaign, focus: Unit) -> list[dict]:
    """One row per child of `focus` that has tasks below it (or is one), rolled up over its
    subtree from the tasks' counters: one grouped query, whatever the size of the tree."""
    width = (focus.depth + 1) * Unit.steplen
    groups = (
        Task.objects.filter(campaign=campaign, unit_path__startswith=focus.path)
        .exclude(unit_path=focus.path)
        .annotate(prefix=Substr("unit_path", 1, width))
        .values("prefix")
        .annotate(
            tasks=Count("pk"),
            done=Count("pk", filter=Q(done=True)),
            reported=Count("pk", filter=Q(reported_at__isnull=False)),
            sessions=Sum("sessions_held"),
            attendees=Sum("attendees"),
            members=Sum("members"),
            quiz_passed=Sum("quiz_passed"),
            reflections=Sum("reflections_accepted"),
        )
        .order_by()
    )
    rows = {g["prefix"]: _rates(g) for g in groups}
    units = {
        u.path: u
        for u in Unit.objects.filter(path__in=list(rows)).only("pk", "name", "path", "depth")
    }
    out = []
    for prefix, row in rows.items():
        unit = units.get(prefix)
        if unit is None:
            continue
        row["unit"] = unit
        row["lagging"] = row["done"] < row["tasks"]
        row["reasons"] = lagging_reasons(campaign, row)
        out.append(row)
    return out


def root_rows(*, campaign, roots: list[Unit]) -> list[dict]:
    """One rolled-up row per tree of a joint campaign (the issuer's and each partner's)."""
    out = []
    for root in roots:
        row = rollup(campaign=campaign, focus=root) | {"unit": root}
        row["lagging"] = row["done"] < row["tasks"]
        row["reasons"] = lagging_reasons(campaign, row)
        out.append(row)
    return out


def lagging_reasons(campaign, row: dict) -> list[str]:
    """Why a unit (or the units under a row) is behind, in the words the dashboard shows."""
    from django.utils import timezone
    from django.utils.translation import gettext as _

    if row["done"] >= row["tasks"]:
        return []
    need = campaign.min_attendance_pct
    reasons = []
    if row["sessions"] < campaign.min_sessions * row["tasks"]:
        reasons.append(_("sessions missing") if row["sessions"] else _("no session yet"))
    if row["attendance_pct"] < need:
        reasons.append(_("low attendance"))
    members = row["members"] or 0
    if campaign.quiz_required and members and 100 * row.get("quiz_passed", 0) < need * members:
        reasons.append(_("few quiz passes"))
    if (
        campaign.reflection_required
        and members
        and 100 * row.get("reflections", 0) < need * members
    ):
        reasons.append(_("few reflections"))
    if row["reported"] < row["tasks"]:
        late = timezone.localdate() > campaign.report_due
        reasons.append(_("report overdue") if late else _("report missing"))
    return reasons


def draw_questions(task, person, attempt: int) -> list[tuple]:
    """The questions a member gets on an attempt, each with the order its answers are shown
    in: drawn from the bank (all of it, or `quiz_draw` questions) and shuffled by a seed of
    the member, the task and the attempt number, so the page and the scoring agree without
    storing the draw, and a new attempt gets a new draw."""
    from suotdoi.core.parsing import seeded_draw

    from .models import Question

    bank = list(Question.objects.filter(campaign=task.campaign).order_by("pk"))
    return seeded_draw(
        bank, task.campaign.quiz_draw, f"{person.pk}:{task.pk}:{attempt}", lambda q: q.choices
    )


def documents_of(campaign) -> list[dict]:
    """The material of a campaign and of the campaigns above it (a sub-campaign studies the
    parent's documents too): the latest version of each, with the earlier ones."""
    from .models import CampaignDocument

    chain, c = [], campaign
    while c is not None and len(chain) < 10:
        chain.append(c.pk)
        c = c.parent
    out: dict[tuple, dict] = {}
    for d in CampaignDocument.objects.filter(campaign_id__in=chain).order_by(
        "campaign_id", "title", "-version"
    ):
        key = (d.campaign_id, d.title)
        if key not in out:
            out[key] = {"latest": d, "earlier": []}
        else:
            out[key]["earlier"].append(d)
    return list(out.values())


def progress_chart(campaign, width: int = 600, height: int = 160) -> dict | None:
    """Points of the progress chart from the daily roll-ups: share of units done and
    attendance rate, as SVG polyline coordinates, plus the rows of the table that carries the
    same figures for screen readers."""
    days = list(campaign.days.all())
    if not days:
        return None
    pad = 36
    span = max(1, (days[-1].day - days[0].day).days)

    def points(values):
        out = []
        for d, v in zip(days, values, strict=True):
            x = pad + (width - 2 * pad) * ((d.day - days[0].day).days / span)
            y = height - pad - (height - 2 * pad) * v / 100
            out.append(f"{x:.1f},{y:.1f}")
        return " ".join(out)

    done = [round(100 * d.done / d.tasks) if d.tasks else 0 for d in days]
    attendance = [round(100 * d.attendees / d.members) if d.members else 0 for d in days]
    return {
        "width": width,
        "height": height,
        "pad": pad,
        "done": points(done),
        "attendance": points(attendance),
        "rows": [
            {"day": d.day, "done": a, "attendance": b, "sessions": d.sessions}
            for d, a, b in zip(days, done, attendance, strict=True)
        ],
        "first": days[0].day,
        "last": days[-1].day,
        "y50": height - pad - (height - 2 * pad) / 2,
        "y100": pad,
        "y0": height - pad,
        "x1": width - pad,
        "label_x": pad - 6,
    }


def campaign_roots(campaign) -> list[Unit]:
    """The issuer and the partners that accepted: the subtrees whose units take part."""
    from .models import CampaignPartner

    partners = [
        p.unit
        for p in CampaignPartner.objects.filter(
            campaign=campaign, accepted_at__isnull=False
        ).select_related("unit")
    ]
    return [campaign.issuer, *partners]


def target_units(campaign, roots: list[Unit] | None = None):
    today = timezone.localdate()
    roots = roots if roots is not None else campaign_roots(campaign)
    under = Q(pk__in=[])
    for root in roots:
        under |= Q(path__startswith=root.path)
    return (
        Unit.objects.filter(under, unit_type__code__in=campaign.target_type_codes)
        .exclude(pk__in=[r.pk for r in roots])
        .filter(Q(active_to__isnull=True) | Q(active_to__gt=today))
        .filter(merged_into__isnull=True)
    )


def quiz_passes_of(*, person, year: int) -> int:
    """How many campaign quizzes `person` passed in `year` (for recognition's indicators)."""
    from .models import QuizResult

    return QuizResult.objects.filter(person=person, passed=True, at__year=year).count()


def upcoming_sessions_for(person, *, prefixes=None, days: int = 60) -> list:
    """Sessions of launched campaigns the person is invited to (every member of the task's
    unit and below, or named) that have not ended and start within `days`, soonest first,
    without those they already checked in to."""
    import datetime as dt

    from django.db.models import Q
    from django.utils import timezone

    from suotdoi.organisations.selectors import member_path_prefixes

    from .models import Attendance, Session

    now = timezone.now()
    if prefixes is None:
        prefixes = member_path_prefixes(person)
    invited = Q(invite_all=True, task__unit_path__in=prefixes) | Q(invitees__person=person)
    rows = (
        Session.objects.filter(
            invited,
            task__campaign__status="launched",
            starts_at__gte=now - dt.timedelta(hours=24),
            starts_at__lte=now + dt.timedelta(days=days),
        )
        .exclude(pk__in=Attendance.objects.filter(person=person).values("session_id"))
        .select_related("task__unit", "task__campaign")
        .distinct()
        .order_by("starts_at", "pk")[:20]
    )
    return [s for s in rows if s.starts_at + dt.timedelta(hours=float(s.hours)) > now]


def campaign_work_by_unit(*, paths, start, end) -> dict[int, dict]:
    """Per target unit under `paths`: sessions held in [start, end] with their check-ins, and
    the tasks of campaigns that ended in the period with how many were done."""
    from suotdoi.organisations.selectors import paths_q

    from .models import Attendance, Session

    out: dict[int, dict] = {}

    def row(unit_id):
        return out.setdefault(
            unit_id, {"sessions": 0, "attendances": 0, "tasks": 0, "tasks_done": 0}
        )

    held = (
        Session.objects.filter(
            paths_q(paths, "task__unit_path"),
            held=True,
            starts_at__date__gte=start,
            starts_at__date__lte=end,
        )
        .values("task__unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in held:
        row(r["task__unit_id"])["sessions"] = r["n"]
    present = (
        Attendance.objects.filter(
            paths_q(paths, "session__task__unit_path"),
            status=Attendance.PRESENT,
            session__held=True,
            session__starts_at__date__gte=start,
            session__starts_at__date__lte=end,
        )
        .values("session__task__unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for r in present:
        row(r["session__task__unit_id"])["attendances"] = r["n"]
    tasks = (
        Task.objects.filter(
            paths_q(paths),
            campaign__ends_on__gte=start,
            campaign__ends_on__lte=end,
            campaign__launched_at__isnull=False,
        )
        .values("unit_id")
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(done=True)))
        .order_by()
    )
    for r in tasks:
        row(r["unit_id"]).update(tasks=r["n"], tasks_done=r["done"])
    return out


def open_campaigns_of(*, unit, today) -> list:
    """Launched campaigns still running that the unit issued or takes part in (public)."""
    from .models import Campaign, CampaignStatus

    return list(
        Campaign.objects.filter(Q(issuer=unit) | Q(tasks__unit=unit))
        .filter(status=CampaignStatus.LAUNCHED, ends_on__gte=today)
        .distinct()
        .order_by("ends_on")[:10]
    )
