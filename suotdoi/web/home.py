"""What the home page suggests a logged-in person do next.

Each capability registers its suggestions here as it lands; the home page stays ignorant of
which apps exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NextStep:
    title: str
    description: str
    url_name: str
    url_args: tuple = ()
    order: int = 100

    @property
    def url(self) -> str:
        from django.urls import reverse

        return reverse(self.url_name, args=self.url_args)


_providers: list[Callable[[object], list[NextStep]]] = []


def register_next_steps(provider: Callable[[object], list[NextStep]]) -> None:
    _providers.append(provider)


def next_steps_for(person) -> list[NextStep]:
    steps: list[NextStep] = []
    for provider in _providers:
        steps.extend(provider(person))
    steps.append(
        NextStep(
            title=_("Your profile"),
            description=_("Check your name, phone and language."),
            url_name="people:profile",
            order=900,
        )
    )
    return sorted(steps, key=lambda s: s.order)


@dataclass(frozen=True)
class Todo:
    """One thing a learner has to do, with the date it is for or due by ("Việc cần làm")."""

    kind: str  # a short translated word: "Buổi sinh hoạt", "Bài kiểm tra"…
    title: str
    url: str
    when: object = None  # a date or an aware datetime; None for "whenever you can"
    detail: str = ""
    due: bool = False  # `when` is a deadline ("by …"), not the moment it happens

    @property
    def sort_key(self):
        import datetime as dt

        from django.utils import timezone

        w = self.when
        if w is None:
            return (1, dt.datetime.max.replace(tzinfo=dt.UTC))
        if not isinstance(w, dt.datetime):
            w = timezone.make_aware(dt.datetime.combine(w, dt.time(23, 59)))
        return (0, w)

    @property
    def has_time(self) -> bool:
        import datetime as dt

        return isinstance(self.when, dt.datetime)


_todo_providers: list[Callable[[object], list[Todo]]] = []


def register_todos(provider: Callable[[object], list[Todo]]) -> None:
    """`provider(person)` returns the person's open to-dos from one capability."""
    _todo_providers.append(provider)


def todos_for(person, limit: int = 12) -> list[Todo]:
    """The person's to-dos from every capability, soonest first, undated last."""
    items: list[Todo] = []
    for provider in _todo_providers:
        items.extend(provider(person))
    return sorted(items, key=lambda t: t.sort_key)[:limit]


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    order: int = 100


_nav_providers: list[Callable[[object], list[NavItem]]] = []


def register_nav(provider: Callable[[object], list[NavItem]]) -> None:
    _nav_providers.append(provider)


def nav_for(person) -> list[NavItem]:
    items: list[NavItem] = []
    for provider in _nav_providers:
        items.extend(provider(person))
    return sorted(items, key=lambda i: i.order)
