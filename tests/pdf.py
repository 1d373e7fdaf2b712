"""The text of a PDF as a reader sees it, page by page, from poppler's ``pdftotext``.

pypdf parses every drawing operator of a page in Python (a print map has tens of thousands
of them); poppler's C reader takes a fraction of that time for the same text. poppler-utils
is installed by ``make test`` (Debian), like the ``pdftoppm`` that renders the pages.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path


def pdf_pages(path: str | Path) -> list[str]:
    """The text of each page, white space folded to single blanks (table cells wrap)."""
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (Debian poppler-utils) is installed by make test"
    text = subprocess.run([pdftotext, "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True).stdout.decode("utf-8")
    # pages end with a form feed, the last one too
    return [re.sub(r"\s+", " ", page).strip() for page in text.split("\f")[:-1]]


def pdf_text(path: str | Path) -> str:
    """The text of all pages, white space folded to single blanks."""
    return " ".join(pdf_pages(path))
