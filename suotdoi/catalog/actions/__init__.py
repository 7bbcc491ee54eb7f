"""Writes of the catalogue: providers, courses and their content, the review workflow,
enrolment, progress, quizzes, completion (record, credential, xAPI) and open resources."""

from .courses import (  # noqa: F401
    COURSE_FIELDS,
    _check_audience,
    _index,
    course_create,
    course_publish,
    course_return,
    course_submit,
    course_update,
    index_course,
    index_resource,
    lesson_add,
    module_add,
    provider_enable,
    provider_update,
    question_add,
    run_add,
)
from .learning import (  # noqa: F401
    _emit_statement,
    _issue_credential,
    _maybe_complete,
    _right,
    complete,
    complete_in_person,
    complete_many,
    draw_questions,
    enrol,
    enrol_many,
    enrol_within,
    enrolment_cancel,
    lesson_done,
    platform_lrs_client,
    quiz_submit,
)
from .resources import resource_add, resource_studied  # noqa: F401
