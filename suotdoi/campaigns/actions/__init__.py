"""Writes of campaigns: create, launch (cascade), extend, close; sessions, check-in, reports."""

from ._common import _create_tasks, _event, _refresh_done, _subtree_members  # noqa: F401
from .assisted import check_in_for  # noqa: F401
from .joint import partner_accept, partner_invite, subcampaign_create  # noqa: F401
from .lifecycle import (  # noqa: F401
    _DOCUMENT_MAGIC,
    MAX_DOCUMENT_BYTES,
    _check_document,
    campaign_close,
    campaign_create,
    campaign_extend,
    campaign_launch,
    campaign_snapshot,
    document_add,
    task_for_new_unit,
)
from .offline import check_in_offline, display_seen, display_upload, window_steps  # noqa: F401
from .quiz import question_add, quiz_submit  # noqa: F401
from .reflections import reflection_review, reflection_submit  # noqa: F401
from .session_files import MAX_PHOTOS, session_minutes_upload, session_photos_add  # noqa: F401
from .sessions import (  # noqa: F401
    SETTLE_WINDOW,
    _attendance_create,
    _scheduled,
    attendance_record,
    attendance_settle,
    check_in,
    is_invited,
    remind_lagging,
    schedule_session_settle,
    session_announce,
    session_create,
    session_settle,
    task_report_submit,
)
