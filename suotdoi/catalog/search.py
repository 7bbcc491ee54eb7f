"""One search box over courses and open resources: diacritic-blind, typo-tolerant.

Text is folded once when indexed (`fold`: no diacritics, đ → d, lower case) into `SearchDoc`.
A query is folded the same way, split into words, and each word the index does not know is
replaced by the closest indexed word (edit similarity over the vocabulary, `SearchWord`), so
"an toan mnag" still finds "An toàn mạng". Matching is full-text with prefixes — PostgreSQL
`to_tsvector('simple', …) @@ to_tsquery(…:*)` over a GIN index, SQLite FTS5 over a mirror
table — and ranking is the same expression on both: documents whose title holds every word
as whole words first, then as word beginnings, then the rest; within each, shorter titles, then
id. So both databases return the same list.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Case, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length

from suotdoi.core.text import fold

from .models import SearchDoc, SearchWord

_WORD = re.compile(r"[a-z0-9]+")
MAX_WORDS = 8


def words_of(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def remember_words(texts: list[str]) -> None:
    words = {w for t in texts for w in words_of(t) if 1 < len(w) <= 60}
    if words:
        SearchWord.objects.bulk_create(
            [SearchWord(word=w) for w in sorted(words)], ignore_conflicts=True, batch_size=1000
        )


def correct(words: list[str]) -> list[str]:
    """Each word the index knows stays; an unknown word of 4 letters or more becomes the
    closest known word starting with the same letter, when one is close enough."""
    known = set(SearchWord.objects.filter(word__in=words).values_list("word", flat=True))
    out = []
    for w in words:
        if w in known or len(w) < 4 or w.isdigit():
            out.append(w)
            continue
        pool = list(
            SearchWord.objects.filter(word__startswith=w[0])
            .annotate(n=Length("word"))
            .filter(n__gte=len(w) - 2, n__lte=len(w) + 2)
            .values_list("word", flat=True)[:5000]
        )
        match = difflib.get_close_matches(w, pool, n=1, cutoff=0.7)
        out.append(match[0] if match else w)
    return out


def _matching(words: list[str]):
    if connection.vendor == "postgresql":
        query = " & ".join(f"{w}:*" for w in words)
        return RawSQL(
            "to_tsvector('simple', catalog_searchdoc.title_folded || ' ' || "
            "catalog_searchdoc.body_folded) @@ to_tsquery('simple', %s)",
            [query],
            output_field=BooleanField(),
        )
    query = " AND ".join(f'"{w}"*' for w in words)
    return RawSQL(
        "catalog_searchdoc.id IN (SELECT rowid FROM catalog_search_fts "
        "WHERE catalog_search_fts MATCH %s)",
        [query],
        output_field=BooleanField(),
    )


def visible_q(person) -> Q:
    """Public documents, and members-only ones for members of (or staff above) that unit."""
    q = Q(audience_path="")
    if person is None or not person.is_authenticated:
        return q
    if person.is_superuser:
        return Q()
    from suotdoi.organisations.access import grants_for
    from suotdoi.organisations.models import Membership, Unit

    step = Unit.steplen
    paths = Membership.objects.filter(person=person, end_date__isnull=True).values_list(
        "unit_path", flat=True
    )
    prefixes = {p[:end] for p in paths for end in range(step, len(p) + 1, step)}
    if prefixes:
        q |= Q(audience_path__in=prefixes)
    for g in grants_for(person):
        q |= Q(audience_path__startswith=g.path)
    return q


@dataclass
class Filters:
    category: str = ""
    format: str = ""
    price: str = ""  # "free" | "paid" | ""
    provider: int | None = None
    max_hours: float | None = None
    kind: str = ""  # "course" | "resource" | ""


def search(text: str, *, person=None, filters: Filters | None = None):
    """The matching documents (a queryset, ranked) and the words actually searched."""
    filters = filters or Filters()
    words = words_of(text)[:MAX_WORDS]
    qs = SearchDoc.objects.filter(visible_q(person)).select_related("provider__unit")
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.format:
        qs = qs.filter(format=filters.format)
    if filters.price == "free":
        qs = qs.filter(price=0)
    elif filters.price == "paid":
        qs = qs.filter(price__gt=0)
    if filters.provider:
        qs = qs.filter(provider_id=filters.provider)
    if filters.max_hours is not None:
        qs = qs.filter(hours__lte=filters.max_hours)
    if filters.kind in (SearchDoc.COURSE, SearchDoc.RESOURCE):
        qs = qs.filter(kind=filters.kind)
    if not words:
        return qs.order_by("title_folded", "id"), []
    words = correct(words)
    whole, prefix = Q(), Q()
    for w in words:
        whole &= (
            Q(title_folded=w)
            | Q(title_folded__startswith=w + " ")
            | Q(title_folded__endswith=" " + w)
            | Q(title_folded__contains=" " + w + " ")
        )
        prefix &= Q(title_folded__startswith=w) | Q(title_folded__contains=" " + w)
    qs = (
        qs.annotate(hit=_matching(words))
        .filter(hit=True)
        .annotate(
            tier=Case(
                When(whole, then=Value(0)),
                When(prefix, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            title_len=Length("title_folded"),
        )
        .order_by("tier", "title_len", "id")
    )
    return qs, words
