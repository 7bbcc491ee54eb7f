"""Campaign pages: the issuer's dashboard, the target unit's task, sessions and check-in."""

from .assisted import check_in_for  # noqa: F401
from .campaigns import (  # noqa: F401
    _breadcrumbs,
    campaign_close,
    campaign_create,
    campaign_detail,
    campaign_export_xlsx,
    campaign_extend,
    campaign_launch,
    campaign_list,
    campaign_remind,
    campaign_report_pdf,
)
from .material import (  # noqa: F401
    document_add,
    document_download,
    partner_accept,
    partner_invite,
    subcampaign_create,
)
from .members import my_campaigns, questions, quiz, reflection, reflection_file, reflection_review  # noqa: F401
from .offline import checkin_offline, scan_saved, session_shown  # noqa: F401
from .sessions import (  # noqa: F401
    _qr_context,
    checkin,
    session_detail,
    session_minutes,
    session_photo,
    session_qr,
    task_detail,
)
