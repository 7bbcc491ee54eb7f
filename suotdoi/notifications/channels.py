"""Which way a notification goes to a person: the groups a person chooses for, and the
channels of each group (the app's own list is always written; push and email as chosen)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# group → (what the person reads, the notification kinds in it by prefix)
GROUPS = {
    "sessions": (
        _("Study sessions and classes"),
        ("session.", "catalog.seat", "campaign.reminder"),
    ),
    "deadlines": (
        _("Deadlines and things to do"),
        ("reports.due", "recognition.due", "recognition.review_due", "correction.asked"),
    ),
    "decisions": (
        _("Decisions about your learning"),
        (
            "entry.",
            "credential.",
            "credits.",
            "recognition.returned",
            "reflection.",
            "funding.",
            "correction.answered",
            "stories.",
        ),
    ),
    "other": (_("Invitations and everything else"), ()),
}
CHANNELS = {
    "push": _("On this phone (notification)"),
    "email": _("By email"),
    # for people without the app: texts cost the unit money, so only where they matter
    "zalo": _("By Zalo message (when the app is not installed)"),
    "sms": _("By SMS (when the app is not installed)"),
}
DEFAULT = ("push", "email")
DEFAULTS = {
    "sessions": ("push", "email", "zalo", "sms"),
    "deadlines": ("push", "email", "zalo", "sms"),
}


def group_of(kind: str) -> str:
    for group, (_label, prefixes) in GROUPS.items():
        if any(kind.startswith(p) for p in prefixes):
            return group
    return "other"


def chosen(person) -> dict[str, list[str]]:
    """Every group's channels for the person (the defaults where they chose nothing)."""
    from .models import DeliveryPreference

    pref = DeliveryPreference.objects.filter(person=person).first()
    stored = pref.channels if pref else {}
    return {
        g: [c for c in stored.get(g, DEFAULTS.get(g, DEFAULT)) if c in CHANNELS] for g in GROUPS
    }


def wants(person, kind: str, channel: str) -> bool:
    return channel in chosen(person)[group_of(kind)]
