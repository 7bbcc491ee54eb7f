"""The assessment workflow, recognition decisions and the roll-ups of titles over units."""

from .assessments import (  # noqa: F401
    WrongStep,
    _checked,
    _editable_by_subject,
    _evaluator,
    _home_unit,
    _plain,
    _score,
    assessment_adjust,
    assessment_approve,
    assessment_prefill,
    assessment_register,
    assessment_return,
    assessment_self,
    assessment_submit,
    evidence_add,
)
from .calendar import _check_on_time, remind, round_set  # noqa: F401
from .decisions import _credential_for, decision_issue, decision_publish, decision_revoke  # noqa: F401
from .rollups import _rollup_after, rollup_unit_titles, rollup_units  # noqa: F401
