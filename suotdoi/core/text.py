"""Vietnamese text helpers: diacritic folding for search, name sorting."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def unmarked(text: str) -> str:
    """Vietnamese without its marks, case kept: "Đặng" -> "Dang" (đ/Đ by hand: they do not
    decompose in Unicode)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def fold(text: str | None) -> str:
    """Lower-case ASCII form used for diacritic-blind search.

    "Nguyễn Thị Đặng" -> "nguyen thi dang". The letter đ/Đ does not decompose in Unicode, so it
    is mapped by hand.
    """
    if not text:
        return ""
    return _SPACES.sub(" ", unmarked(text)).strip().lower()


def clean_name(text: str) -> str:
    """Trim, collapse inner spaces and compose a person's or unit's name (NFC)."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def given_name(full_name: str) -> str:
    """The given name is the last word of a Vietnamese full name."""
    parts = clean_name(full_name).split(" ")
    return parts[-1] if parts else ""


def name_sort_key(full_name: str) -> str:
    """Sort Vietnamese names as people expect: by given name, then family and middle names.

    "Nguyễn Văn An" sorts under "An". Folding keeps accents from deciding the order, and the
    original spelling breaks ties so "Ánh" and "Anh" do not collide.
    """
    name = clean_name(full_name)
    parts = name.split(" ")
    reordered = " ".join([parts[-1], *parts[:-1]]) if parts else ""
    return f"{fold(reordered)}|{reordered.lower()}"[:300]


_MARKUP = set("<>{}")


def plain_text_problem(value: str) -> str | None:
    """Why `value` cannot be a name, title or other plain text shown to people, or None.

    Forms and API schemas share this rule: no markup characters, no control characters."""
    if any(ch in _MARKUP for ch in value):
        return "markup"
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in value):
        return "control"
    return None
