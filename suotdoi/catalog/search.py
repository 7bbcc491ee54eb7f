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


_PG_ALL = (
    "to_tsvector('simple', catalog_searchdoc.title_folded || ' ' || "
    "catalog_searchdoc.body_folded) @@ to_tsquery('simple', %s)"
)
_PG_TITLE = "to_tsvector('simple', catalog_searchdoc.title_folded) @@ to_tsquery('simple', %s)"


def _matching(words: list[str], *, title_only: bool = False):
    """A boolean SQL expression: every word is in the document's title and text (or, with
    `title_only`, in its title)."""
    # Whole words, except the last one, which may still be being typed: a prefix.
    last = len(words) - 1
    if connection.vendor == "postgresql":
        query = " & ".join(f"{w}:*" if n == last else w for n, w in enumerate(words))
        sql = _PG_TITLE if title_only else _PG_ALL
        return RawSQL(sql, [query], output_field=BooleanField())  # noqa: S611 - fixed SQL
    star = ["*" if n == last else "" for n in range(len(words))]
    if title_only:
        query = " AND ".join(f'title_folded : "{w}"{st}' for w, st in zip(words, star, strict=True))
    else:
        query = " AND ".join(f'"{w}"{st}' for w, st in zip(words, star, strict=True))
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
    from suotdoi.organisations.selectors import member_path_prefixes

    prefixes = member_path_prefixes(person)
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


MAX_COUNT = 1000  # beyond this, "more than 1,000 results": nobody pages that far


@dataclass
class Results:
    items: list
    total: int  # capped at MAX_COUNT + 1
    words: list[str]
    page: int
    per_page: int

    @property
    def more_than(self) -> bool:
        return self.total > MAX_COUNT

    @property
    def pages(self) -> int:
        return max(1, -(-min(self.total, MAX_COUNT) // self.per_page))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _capped_count(qs) -> int:
    return qs.values("pk")[: MAX_COUNT + 1].count()


def _filtered(person, filters: Filters):
    qs = SearchDoc.objects.filter(visible_q(person))
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
    return qs


def search(
    text: str, *, person=None, filters: Filters | None = None, page: int = 1, per_page: int = 20
) -> Results:
    """One page of results, ranked the same way on every database:

    1. documents whose title holds every word as a whole word, then those whose title holds
       every word as a word beginning (both from the title's own full-text index), shorter
       titles first;
    2. then documents that match only through their other text (summary, competences,
       provider), shorter titles first.

    Ids are ranked first on narrow rows and the page's documents fetched after, and counts
    stop at 1,000, so a broad query over 100,000 documents stays cheap."""
    filters = filters or Filters()
    page = max(1, min(page, MAX_COUNT // per_page + 1))
    words = words_of(text)[:MAX_WORDS]
    base = _filtered(person, filters)
    start = (page - 1) * per_page
    if not words:
        total = _capped_count(base)
        ids = list(
            base.order_by("title_folded", "id").values_list("pk", flat=True)[
                start : start + per_page
            ]
        )
        return Results(_fetch(ids), total, [], page, per_page)
    words = correct(words)
    whole = Q()
    for w in words:
        whole &= (
            Q(title_folded=w)
            | Q(title_folded__startswith=w + " ")
            | Q(title_folded__endswith=" " + w)
            | Q(title_folded__contains=" " + w + " ")
        )
    in_title = base.annotate(t=_matching(words, title_only=True)).filter(t=True)
    elsewhere = (  # the same row's title does not match (no subquery: see the tiers above)
        base.annotate(hit=_matching(words), t=_matching(words, title_only=True))
        .filter(hit=True)
        .filter(t=False)
    )
    n_title = _capped_count(in_title)
    ids: list[int] = []
    if start < n_title:
        ids = list(
            in_title.annotate(
                tier=Case(
                    When(whole, then=Value(0)), default=Value(1), output_field=IntegerField()
                ),
                n=Length("title_folded"),
            )
            .order_by("tier", "n", "id")
            .values_list("pk", flat=True)[start : start + per_page]
        )
    total = n_title
    if n_title <= MAX_COUNT:
        total += _capped_count(elsewhere)
    if len(ids) < per_page and total > n_title:
        skip = max(0, start - n_title)
        ids += list(
            elsewhere.annotate(n=Length("title_folded"))
            .order_by("n", "id")
            .values_list("pk", flat=True)[skip : skip + per_page - len(ids)]
        )
    return Results(_fetch(ids), min(total, MAX_COUNT + 1), words, page, per_page)


def _fetch(ids: list[int]) -> list:
    docs = SearchDoc.objects.select_related("provider__unit").in_bulk(ids)
    return [docs[i] for i in ids if i in docs]
