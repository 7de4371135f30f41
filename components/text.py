"""Making user-written text safe to show: as markdown, never as markup."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&])")


def md_escape(text: object) -> str:
    """Escape every character markdown (and Streamlit's directives) would interpret.

    The result renders as the literal text: no links, images, HTML,
    colour directives or formulas — and no autolinks: the renderer turns bare
    ``https://…``, ``www.…`` and e-mail addresses into links even when escaped,
    so an invisible word joiner (U+2060) is put where such an address would
    start (``https⁠://``, ``www⁠.``, ``⁠@``); the text reads and copies the same
    to the eye.
    """
    text = _AUTOLINK.sub(lambda m: m.group(0) + _JOINER, str(text)).replace("@", _JOINER + "@")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)\b(?:https?|ftp|mailto)(?=:)|\bwww(?=\.)")


# The one rule for what may stand as an event's id (in the data, in a link's ``ev`` and ``ov``):
# \Z, not $, which would also match before a final newline.
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,119}\Z"
ID_RULE = "an id of letters, digits, '-', '_' or '.' (at most 120, starting with a letter or digit)"
# The one rule for a web address the app may show as a link: http(s), no spaces, quotes,
# angle or square brackets, backslashes or control characters. Parentheses are allowed
# (encyclopedia titles use them) and percent-encoded wherever a link is built.
WEB_URL_PATTERN = r"^https?://[^\s<>\"'\[\]\\\x00-\x1f\x7f]+\Z"
WEB_URL_RULE = "a web address starting with http:// or https://, without spaces, quotes or brackets"
_ID = re.compile(ID_PATTERN)
_WEB_URL = re.compile(WEB_URL_PATTERN)


def is_event_id(text: object) -> bool:
    return isinstance(text, str) and _ID.match(text) is not None


def is_web_url(url: object) -> bool:
    return isinstance(url, str) and _WEB_URL.match(url) is not None


def link_target(url: str) -> str:
    """A validated address made safe inside a markdown link: parentheses percent-encoded."""
    if not is_web_url(url):
        raise ValueError("not a web address the app links to")
    return url.replace("(", "%28").replace(")", "%29")


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


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: object) -> str:
    """Text with control characters shown as escapes (\\x1b, \\n), so a terminal or page never acts on them."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def safe_table(frame):
    """A copy of a table whose text cells are formula-safe (:func:`neutralise`), for display.

    Streamlit's own table toolbar offers "Download as CSV" of exactly what is shown; neutralising what is
    shown makes that download as safe as the app's own.
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or str(out[column].dtype).startswith(("string", "str")):
            out[column] = out[column].map(lambda cell: neutralise(cell) if isinstance(cell, str) else cell)
    return out


def page_link(browser_url: str, page_path: str, base_path: str = "") -> str:
    """The address of a page of the app, built from the app's root, never from the path the browser asked for.

    ``browser_url``: the address the browser shows (it may name a page that does not exist, or the default
    page by its own name, as '/dashboard'); only its scheme and host are kept. ``base_path``: the server's
    ``server.baseUrlPath`` (empty when the app is served at the root, as on Community Cloud). ``page_path``: the
    page's ``url_path`` ('' for the default page). No query and no fragment.
    """
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(browser_url or "")
    scheme = parts.scheme if parts.scheme in ("http", "https") else "http"
    host = parts.netloc or "localhost:8501"
    path = "/".join(p for p in (base_path.strip("/"), page_path.strip("/")) if p)
    return urlunsplit((scheme, host, "/" + path, "", ""))
