"""One pagination for every list of the API: a cursor (bounded, checked), never a deep offset."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import CursorPagination

MAX_LIMIT = 500


class CursorPages(CursorPagination):
    """Cursor pagination for machines that walk a whole collection: stable while rows are
    added (ordered by id), no deep offsets. `next` is the URL of the following page; a crafted
    cursor is a 422, never a server error."""

    class Input(Schema):
        page_size: int | None = Field(None, ge=1, le=MAX_LIMIT)
        cursor: str | None = Field(
            None, max_length=200, pattern=r"^[A-Za-z0-9+/=_-]*$", description="From `next`."
        )

    def __init__(self, **kwargs) -> None:
        super().__init__(ordering=("pk",), page_size=100, max_page_size=MAX_LIMIT, **kwargs)

    def paginate_queryset(self, queryset, pagination, request, **params):
        import pydantic
        from ninja.errors import ValidationError

        from .errors import ValidationFailed

        try:
            self.Cursor.from_encoded_param(pagination.cursor)
        except (pydantic.ValidationError, ValidationError, ValueError):
            raise ValidationFailed(_("The cursor is not valid.")) from None
        return super().paginate_queryset(queryset, pagination, request, **params)

    def _find_position(self, queryset, cursor):
        p = cursor.p
        if p is not None and not (p.isascii() and p.isdigit() and len(p) <= 18):
            from .errors import ValidationFailed

            raise ValidationFailed(_("The cursor is not valid."))
        return super()._find_position(queryset, cursor)
