"""How a page runs an action: the one place where a domain failure becomes a message.

    with action_errors(request):
        actions.campaign_launch(actor=request.user, campaign=campaign)
        messages.success(request, _("Launched."))
    return redirect(...)

An `ApplicationError` raised inside the block is shown as its translated message (on the form,
when one is given, else in the page's messages) and the view goes on after the block; nothing
the action wrote is kept, because every action runs in one transaction.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.contrib import messages

from suotdoi.core.errors import ApplicationError


class ActionOutcome:
    """What happened inside the block: `ok` is False when an action refused."""

    def __init__(self) -> None:
        self.ok = True
        self.error: ApplicationError | None = None


@contextmanager
def action_errors(request, *, form=None, field: str | None = None):
    outcome = ActionOutcome()
    try:
        yield outcome
    except ApplicationError as exc:
        outcome.ok, outcome.error = False, exc
        if form is not None:
            form.add_error(field, str(exc.message))
        else:
            messages.error(request, str(exc.message))
