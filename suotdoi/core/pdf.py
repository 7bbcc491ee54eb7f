"""Every PDF the platform prints goes through here: tagged for screen readers (PDF/UA-1:
structure tags, the document's language, its title shown in the reader's window bar) with
title, author and subject taken from the HTML's <title> and <meta> elements."""

from __future__ import annotations


def render_pdf(html: str, *, base_url: str | None = None) -> bytes:
    from weasyprint import HTML

    return HTML(string=html, base_url=base_url).write_pdf(pdf_variant="pdf/ua-1")
