"""Public standings of emulation movements, in the register of consents."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from suotdoi.people.consents import ConsentItem, register_consent_source


def _items(*, person):
    from .models import Participation

    return [
        ConsentItem(
            p.pk,
            _("Your name and position in the standings of “%(m)s”") % {"m": p.movement.title},
            p.registered_at,
            reverse("recognition:movement", args=[p.movement_id]),
        )
        for p in Participation.objects.filter(person=person, public=True).select_related("movement")
    ]


def _withdraw(*, actor, item_id):
    from .emulation import participation_public
    from .models import Participation

    participation_public(
        actor=actor, participation=Participation.objects.get(pk=item_id), public=False
    )


def register() -> None:
    register_consent_source(
        "public_standings",
        purpose=gettext_lazy("Public standings of emulation movements"),
        items=_items,
        withdraw=_withdraw,
        how_to_give=gettext_lazy("Join a movement and keep “show me in the public standings”."),
    )
