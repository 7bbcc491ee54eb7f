from django.tasks import task


@task()
def attendance_settle_task(attendance_id: int) -> None:
    """Counters, learning entry and audit row of a QR check-in (safe to run twice)."""
    from .actions import attendance_settle

    attendance_settle(attendance_id=attendance_id)


@task()
def session_announce_task(session_id: int) -> int:
    """Invitations to the members of the unit holding a session (safe to run twice)."""
    from .actions import session_announce

    return session_announce(session_id=session_id)


@task()
def session_settle_task(session_id: int) -> int:
    """Settle a session's check-ins together (safe to run twice, or alongside another)."""
    from .actions import session_settle

    return session_settle(session_id=session_id)
