"""Recognition pages: my titles and assessments, the evaluator's review, a unit's figures,
level and decisions, and the criteria sets."""

from ._common import _year  # noqa: F401
from .commendations import commendation_decide, commendation_propose  # noqa: F401
from .movements import movement, movement_new  # noqa: F401
from .sets import set_detail, set_export, set_import, sets  # noqa: F401
from .titles import (  # noqa: F401
    _movements_for,
    _my_commendations,
    _rows,
    assessment,
    evidence_file,
    mine,
    register,
    register_for,
    review,
)
from .units import (  # noqa: F401
    _commendation_context,
    _rounds,
    decision_detail,
    decision_new,
    round_set,
    unit_page,
)
