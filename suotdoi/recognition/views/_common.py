"""What the recognition pages share."""

from __future__ import annotations

from django.utils import timezone

from suotdoi.core.parsing import int_or as _int


def _year(request) -> int:
    y = _int(request.GET.get("year") or request.POST.get("year"))
    today = timezone.localdate()
    return y if 2000 <= y <= today.year else today.year
