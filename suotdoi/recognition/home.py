from django.utils.translation import gettext_lazy as _

from suotdoi.web.home import NavItem, register_nav


def _nav(person):
    return [NavItem(label=_("Titles"), url_name="recognition:mine", order=9)]


register_nav(_nav)


def _unit_panel(*, unit, actor, member_total):
    from django.template.loader import render_to_string

    from suotdoi.organisations.access import can
    from suotdoi.organisations.policies import Capability

    if not can(actor, unit, Capability.VIEW):
        return None
    return render_to_string("recognition/_unit_panel.html", {"unit": unit})


from suotdoi.web.panels import register_unit_panel  # noqa: E402

register_unit_panel(_unit_panel)


def _record_panel(*, person):
    from django.template.loader import render_to_string

    from .models import Commendation, Holding

    holdings = list(
        Holding.objects.filter(person=person, decision__revoked_at__isnull=True)
        .select_related("decision__criteria_set", "decision__unit")
        .order_by("-year")[:20]
    )
    commendations = list(
        Commendation.objects.filter(person=person, status=Commendation.APPROVED)
        .select_related("deciding_unit")
        .order_by("-decision_date")[:20]
    )
    if not holdings and not commendations:
        return None
    return render_to_string(
        "recognition/_record_panel.html", {"holdings": holdings, "commendations": commendations}
    )


from suotdoi.records.panels import register_record_panel  # noqa: E402

register_record_panel(_record_panel)
