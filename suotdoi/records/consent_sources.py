"""What the record contributes to the register of consents (suotdoi/people/consents.py):
links sharing the record, officers allowed to act for the person, learning tools."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suotdoi.people.consents import ConsentItem, register_consent_source


def _shares(*, person):
    from .models import RecordShare

    now = timezone.now()
    return [
        ConsentItem(
            s.pk,
            _("A link to your record, valid until %(d)s, opened %(n)s times")
            % {"d": timezone.localtime(s.expires_at).strftime("%d/%m/%Y"), "n": s.views},
            s.created_at,
            reverse("records:shares"),
        )
        for s in RecordShare.objects.filter(
            person=person, revoked_at__isnull=True, expires_at__gt=now
        )
    ]


def _share_withdraw(*, actor, item_id):
    from . import actions
    from .models import RecordShare

    actions.record_share_revoke(actor=actor, share=RecordShare.objects.get(pk=item_id))


def _assist(*, person):
    from .models import AssistConsent

    return [
        ConsentItem(
            c.pk,
            _(
                "Officers of %(unit)s may enter learning, check you in and fill your "
                "self-assessment for you"
            )
            % {"unit": c.unit.name},
            c.given_on,
            reverse("records:mine"),
        )
        for c in AssistConsent.objects.filter(
            person=person, withdrawn_at__isnull=True
        ).select_related("unit")
    ]


def _assist_withdraw(*, actor, item_id):
    from .assist import consent_withdraw

    consent_withdraw(actor=actor, consent_id=item_id)


def _tools(*, person):
    from .lrs.models import LearnerLink

    return [
        ConsentItem(
            link.pk,
            _("%(tool)s reports your learning to your record") % {"tool": link.client.name},
            link.created_at,
            reverse("lrs_pages:my_tools"),
        )
        for link in LearnerLink.objects.filter(
            person=person, revoked_at__isnull=True
        ).select_related("client")
    ]


def _tool_withdraw(*, actor, item_id):
    from .lrs.linking import link_revoke

    link_revoke(actor=actor, link_id=item_id)


def register() -> None:
    register_consent_source(
        "record_share",
        purpose=gettext_lazy("Sharing your record with an employer, a school or a unit"),
        items=_shares,
        withdraw=_share_withdraw,
        how_to_give=gettext_lazy("Make a link under “Share my record”."),
    )
    register_consent_source(
        "assist",
        purpose=gettext_lazy("Officers acting for you (assisted use)"),
        items=_assist,
        withdraw=_assist_withdraw,
        how_to_give=gettext_lazy("Sign the form, or read out the code an officer sends you."),
    )
    register_consent_source(
        "xapi_tool",
        purpose=gettext_lazy("Learning tools reporting to your record"),
        items=_tools,
        withdraw=_tool_withdraw,
        how_to_give=gettext_lazy("Link a tool under “My learning tools”."),
    )
