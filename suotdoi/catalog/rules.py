"""What a lesson, an upload and a publishable course must be."""

from __future__ import annotations

import nh3
from django.utils.translation import gettext as _

from .errors import BadUpload

MB = 1024 * 1024
# Extension → (magic bytes accepted at the start, limit in bytes)
UPLOADS = {
    "video": {".mp4": ((b"ftyp",), 4, 300 * MB), ".webm": ((b"\x1a\x45\xdf\xa3",), 0, 300 * MB)},
    "pdf": {".pdf": ((b"%PDF",), 0, 20 * MB)},
    "image": {
        ".jpg": ((b"\xff\xd8\xff",), 0, 10 * MB),
        ".jpeg": ((b"\xff\xd8\xff",), 0, 10 * MB),
        ".png": ((b"\x89PNG",), 0, 10 * MB),
    },
}
UPLOADS["document"] = UPLOADS["pdf"]
MAX_REQUEST_BYTES = 310 * MB  # a request larger than the largest file is refused unread

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h2", "h3", "h4",
    "blockquote", "a", "table", "thead", "tbody", "tr", "th", "td", "figure", "figcaption",
}  # fmt: skip


def clean_html(html: str) -> str:
    """Lesson text keeps simple formatting and links; scripts, styles, event handlers and
    javascript: URLs are removed."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"scope"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def check_upload(kind: str, upload) -> None:
    allowed = UPLOADS.get(kind, {})
    name = (upload.name or "").lower()
    ext = ("." + name.rsplit(".", 1)[-1]) if "." in name else ""
    if ext not in allowed:
        raise BadUpload(
            _("A %(kind)s must be one of: %(exts)s.")
            % {"kind": kind, "exts": ", ".join(sorted(allowed))}
        )
    magics, offset, limit = allowed[ext]
    if upload.size > limit:
        raise BadUpload(
            _("The file is %(size)s MB; the limit for this kind is %(limit)s MB.")
            % {"size": round(upload.size / MB, 1), "limit": limit // MB}
        )
    head = upload.read(16)
    upload.seek(0)
    if not any(head[offset:].startswith(m) for m in magics):
        raise BadUpload(_("The file's content does not match its name (%(ext)s).") % {"ext": ext})


def course_problems(course) -> list[str]:
    """Why a course cannot be published (empty when it can)."""
    from .models import Format, QuestionKind

    problems = []
    if course.format in (Format.ONLINE, Format.BLENDED) and not course.lessons.exists():
        problems.append(_("An online course needs at least one lesson."))
    if course.format == Format.EXTERNAL and not course.external_url:
        problems.append(_("A course elsewhere needs its link."))
    if course.format == Format.IN_PERSON and not course.runs.exists():
        problems.append(_("An in-person course needs at least one scheduled run."))
    for q in course.questions.all():
        if q.kind == QuestionKind.SHORT:
            if not [a for a in q.answers if str(a).strip()]:
                problems.append(_("Question “%(q)s” has no accepted answer.") % {"q": q.text})
        else:
            right = [c for c in q.choices if c.get("correct")]
            if not right:
                problems.append(_("Question “%(q)s” has no correct answer.") % {"q": q.text})
            elif q.kind != QuestionKind.MULTIPLE and len(right) > 1:
                problems.append(
                    _("Question “%(q)s” must have exactly one correct answer.") % {"q": q.text}
                )
            if len(q.choices) < 2:
                problems.append(_("Question “%(q)s” needs at least two answers.") % {"q": q.text})
    if course.pass_pct > 100:
        problems.append(_("The pass mark is at most 100%."))
    return problems
