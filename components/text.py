"""Making user-written text safe to show: as markdown, never as markup."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&])")


def md_escape(text: object) -> str:
    """Escape every character markdown (and Streamlit's directives) would interpret.

    The result renders as the literal text: no links, images, HTML,
    colour directives or formulas.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")


def is_web_url(url: object) -> bool:
    return isinstance(url, str) and re.match(r"^https?://[^\s<>\"']+$", url) is not None


# A cell starting with one of these is read as a formula by spreadsheet
# programs (OWASP, "CSV Injection"); a leading apostrophe makes it text.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "'")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")  # a plain number is data, not a formula


def neutralise(cell: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe.

    Numbers are left alone. A text starting with an apostrophe gets one more,
    so :func:`restore` can undo this exactly.
    """
    if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES) and not _NUMBER.match(cell):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    """Undo :func:`neutralise` on a text cell."""
    if cell.startswith("'") and cell[1:].startswith(FORMULA_PREFIXES) and not _NUMBER.match(cell[1:]):
        return cell[1:]
    return cell
