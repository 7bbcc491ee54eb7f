"""Public links of credentials, in the register of consents (suotdoi/people/consents.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suotdoi.people.consents import ConsentItem, register_consent_source


def _items(*, person):
    from .models import Credential

    return [
        ConsentItem(
            c.pk,
            _("Anyone with the link can see “%(name)s”") % {"name": c.achievement.name},
            None,
            reverse("credentials:detail", args=[c.uid]),
        )
        for c in Credential.objects.filter(person=person, share_token__isnull=False).select_related(
            "achievement"
        )
    ]


def _withdraw(*, actor, item_id):
    from .actions import credential_share_set
    from .models import Credential

    credential_share_set(actor=actor, credential=Credential.objects.get(pk=item_id), on=False)


def register() -> None:
    register_consent_source(
        "credential_link",
        purpose=gettext_lazy("Public links to your credentials"),
        items=_items,
        withdraw=_withdraw,
        how_to_give=gettext_lazy("Switch a credential's public link on, on its page."),
    )
