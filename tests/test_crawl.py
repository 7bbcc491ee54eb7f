"""Crawl (#16): every page each demo persona can reach from home, in Vietnamese and in English.
Fails on a server error, on English text left untranslated on a Vietnamese page, and on a
localised number inside an SVG attribute or a data- attribute (a decimal comma breaks both)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlparse

import pytest
from django.test import Client

from tests.route_world import build_route_world

pytestmark = pytest.mark.django_db

SKIP = ("/accounts/logout", "/admin/", "/xapi/", "/vc-api/", "/api/v1/docs", "/static/")
NUMERIC_SVG_ATTRS = {
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "width",
    "height",
    "stroke-width",
    "font-size",
    "viewbox",
}
SVG_NUMBER = re.compile(r"^-?\d+(\.\d+)?(%|px)?$")
SVG_POINTS = re.compile(r"^\s*(-?\d+(\.\d+)?,-?\d+(\.\d+)?\s*)*$")
LOCALISED = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$|^-?\d+,\d+$")


class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.texts, self.problems = [], [], []
        self._svg = 0
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "style", "title", "code", "pre", "textarea"):
            self._skip += 1
        if tag == "svg":
            self._svg += 1
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        for name, value in attrs:
            if value is None:
                continue
            numeric = self._svg and name.lower() in NUMERIC_SVG_ATTRS and name != "viewbox"
            if numeric and not SVG_NUMBER.match(value.strip()):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if self._svg and name == "points" and not SVG_POINTS.match(value):
                self.problems.append(f"<{tag} points={value[:40]!r}>")
            if (
                self._svg
                and name.lower() == "viewbox"
                and not all(SVG_NUMBER.match(v) for v in value.split())
            ):
                self.problems.append(f"<{tag} viewBox={value!r}>")
            if name.startswith("data-") and LOCALISED.match(value.strip()):
                self.problems.append(f"<{tag} {name}={value!r}>")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "title", "code", "pre", "textarea") and self._skip:
            self._skip -= 1
        if tag == "svg" and self._svg:
            self._svg -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.texts.append(data.strip())


def _catalogue() -> set[str]:
    from pathlib import Path

    from django.utils import translation

    out, translated = set(), set()
    path = Path(__file__).resolve().parent.parent / "locale/vi/LC_MESSAGES/django.po"
    msgid = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith('msgid "') and line != 'msgid ""':
            msgid = line[7:-1]
        elif line.startswith('msgstr "') and msgid:
            if line[8:-1]:
                translated.add(msgid)
            if line[8:-1] and line[8:-1] != msgid and "%(" not in msgid and len(msgid) >= 4:
                out.add(msgid.replace('\\"', '"'))
            msgid = None
    with translation.override("vi"):
        ours = {m for m in out if translation.gettext(m) != m}
        # Strings of the libraries we show (allauth, Django) that have no Vietnamese yet: on a
        # Vietnamese page they appear in English unless we translate them ourselves.
        theirs = set()
        import allauth
        import django

        theirs.add("- Select an option -")  # Django's blank choice, absent from its catalogue
        # allauth ships no Vietnamese: every msgid of its (English-keyed) catalogue counts;
        # Django's own: those its Vietnamese catalogue leaves empty.
        sources = [
            (Path(allauth.__file__).parent / "locale/fr/LC_MESSAGES/django.po", False),
            (Path(django.__file__).parent / "conf/locale/vi/LC_MESSAGES/django.po", True),
            (Path(django.__file__).parent / "contrib/admin/locale/vi/LC_MESSAGES/django.po", True),
        ]
        for po, only_empty in sources:
            text = po.read_text(encoding="utf-8", errors="replace") if po.exists() else ""
            pattern = r'\nmsgid "(.+)"\nmsgstr ""\n\n' if only_empty else r'\nmsgid "(.+)"\n'
            for m in re.finditer(pattern, text):
                msgid = m.group(1)
                if len(msgid) >= 4 and msgid not in translated:
                    theirs.add(msgid.rstrip(":"))
        return ours | theirs


def _crawl(client: Client, lang: str, limit: int) -> tuple[list, list, list]:
    seen, todo = set(), ["/"]
    errors, leaks, numbers = [], [], []
    catalogue = _catalogue() if lang == "vi" else set()
    while todo and len(seen) < limit:
        url = todo.pop(0)
        if url in seen or url.startswith(SKIP):
            continue
        seen.add(url)
        r = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
        if r.status_code >= 500:
            errors.append((url, r.status_code))
            continue
        if r.status_code != 200 or "text/html" not in r.get("Content-Type", ""):
            continue
        page = Page()
        page.feed(r.content.decode())
        numbers += [(url, p) for p in page.problems]
        if lang == "vi":
            # The language button names English in English, on purpose.
            leaks += [(url, t) for t in page.texts if t.rstrip(":") in catalogue and t != "English"]
        for href in page.links:
            href = urldefrag(href)[0]
            parts = urlparse(href)
            if parts.scheme or parts.netloc or not href.startswith("/"):
                continue
            if href.endswith((".pdf", ".xlsx", ".json", ".png", ".svg", "/file")):
                continue
            if href not in seen and not href.startswith(SKIP):
                todo.append(href)
    return errors, leaks, numbers


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_reachable_page_renders_translated_with_plain_numbers(lang):
    w = build_route_world()
    personas = [
        None,
        "member",
        "group_leader",
        "grassroots_chair",
        "provincial_officer",
        "association_officer",
        "commune_officer",
        "foreign_officer",
    ]
    problems = {}
    for who in personas:
        c = Client()
        if who:
            c.force_login(w.people[who])
        c.cookies["django_language"] = lang
        errors, leaks, numbers = _crawl(c, lang, limit=120)
        if errors or leaks or numbers:
            problems[who or "anonymous"] = {
                "5xx": errors,
                "untranslated": sorted(set(leaks))[:20],
                "numbers": numbers[:20],
            }
    assert problems == {}, problems
