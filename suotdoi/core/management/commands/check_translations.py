"""Fail when a user-facing string has no Vietnamese translation.

Extracts the messages of the project (as `make messages` does) into a temporary copy and checks
that every msgid there has a non-empty, non-fuzzy Vietnamese msgstr in locale/vi, and that the
compiled .mo file is current.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

_ENTRY = re.compile(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?|msgctxt) "(.*)"$')


def parse_po(text: str) -> list[dict]:
    """A small .po reader: entries with msgctxt, msgid, msgid_plural, msgstr(s), flags."""
    entries: list[dict] = []
    cur: dict = {"flags": set()}
    key = None
    for line in text.splitlines():
        if line.startswith("#,"):
            cur["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#~"):
            continue
        elif line.startswith("msgid ") and "msgid" in cur:
            entries.append(cur)
            cur = {"flags": set()}
        if line.startswith("msgctxt ") and "msgid" in cur:
            entries.append(cur)
            cur = {"flags": set()}
        m = _ENTRY.match(line)
        if m:
            key = m.group(1)
            cur[key] = cur.get(key, "") + m.group(2)
        elif line.startswith('"') and key:
            cur[key] += line[1:-1]
        elif not line.strip():
            key = None
    if "msgid" in cur:
        entries.append(cur)
    return entries


def _unescape(text: str) -> str:
    out, i = [], 0
    table = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in table:
            out.append(table[text[i + 1]])
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


class Command(BaseCommand):
    help = "Check that every user-facing string has a Vietnamese translation."

    def handle(self, *args, **options):
        base = Path(settings.BASE_DIR)
        po = base / "locale" / "vi" / "LC_MESSAGES" / "django.po"
        mo = po.with_suffix(".mo")
        if not po.exists():
            raise CommandError(f"{po} is missing. Run: make messages")
        with tempfile.TemporaryDirectory() as tmp:
            tmp_root = Path(tmp) / "src"
            shutil.copytree(base / "suotdoi", tmp_root / "suotdoi")
            shutil.copytree(base / "config", tmp_root / "config")
            (tmp_root / "locale" / "vi" / "LC_MESSAGES").mkdir(parents=True)
            subprocess.run(
                ["xgettext", "--version"], check=True, capture_output=True
            )  # gettext must be installed
            from django.core.management import call_command

            cwd = Path.cwd()
            try:
                import os

                os.chdir(tmp_root)
                call_command(
                    "makemessages",
                    locale=["vi"],
                    no_location=True,
                    verbosity=0,
                    ignore_patterns=["*/static/*"],
                )
            finally:
                os.chdir(cwd)
            fresh = parse_po((tmp_root / "locale/vi/LC_MESSAGES/django.po").read_text())
        current = {(e.get("msgctxt", ""), e["msgid"]): e for e in parse_po(po.read_text())}
        missing = []
        for e in fresh:
            if not e.get("msgid"):
                continue
            k = (e.get("msgctxt", ""), e["msgid"])
            have = current.get(k)
            if have is None or "fuzzy" in have["flags"]:
                missing.append(e["msgid"])
                continue
            strs = [v for kk, v in have.items() if kk.startswith("msgstr")]
            if not strs or any(not s for s in strs):
                missing.append(e["msgid"])
        if missing:
            for m in missing[:50]:
                self.stderr.write(f"  no Vietnamese for: {m!r}")
            raise CommandError(
                f"{len(missing)} user-facing strings have no Vietnamese translation. "
                "Run `make messages` and translate them in locale/vi/LC_MESSAGES/django.po."
            )
        if not mo.exists():
            raise CommandError("locale/vi/LC_MESSAGES/django.mo is missing. Run: make messages")
        import gettext

        with mo.open("rb") as fh:
            catalog = gettext.GNUTranslations(fh)._catalog
        stale = [
            e["msgid"]
            for e in current.values()
            if e.get("msgid")
            and "msgid_plural" not in e
            and "fuzzy" not in e["flags"]
            and e.get("msgstr")
            and catalog.get(f"{e['msgctxt']}\x04{e['msgid']}" if e.get("msgctxt") else e["msgid"])
            != _unescape(e["msgstr"])
        ]
        if stale:
            raise CommandError(
                f"locale/vi/LC_MESSAGES/django.mo is stale ({len(stale)} messages differ). "
                "Run: make messages"
            )
        self.stdout.write(f"Translations complete: {len(fresh)} messages.")
