"""The view in the URL: a query string turned into settings and back.

Over 400 lines, on purpose: a link is hostile input, and every rule for reading it (one number parser, clamps
with notices, repeated keys, migrations of old model versions, the data version) sits beside the encoder it
must round-trip with; the property test checks them together.

Pure: no streamlit. What each key means, its range and its default are rows
of the settings registry (``components.settings``); this module only reads
and writes them, so the dashboard and the command-line export read a shared
link exactly alike.

Each parameter is parsed as valid, invalid or missing (as Our World in
Data's grapher does): only valid values are applied; an out-of-range number
is clamped; everything else is dropped with a notice that says what was
wrong. Only what differs from the defaults is written back. A link made with
an older model version is migrated: renamed keys are carried over, and a
notice says what changed.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from components import settings
from components.codebook import Codebook
from components.settings import CUSTOM, MAX_OVERRIDES, YEAR_MIN, Setting, ViewState
from components.text import is_event_id, printable

MAX_VALUE_LENGTH = 2000
MAX_SHOWN = 40  # characters of a key or value a notice shows
# Keys Streamlit itself may put in a URL; not ours, never reported.
STREAMLIT_KEYS = frozenset({"embed", "embed_options"})
_URL_START = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True)
class Migration:
    """What a link made with an older model version needs: renamed keys, and what changed."""

    renames: Mapping[str, str]
    note: str


# Keyed by the version a link was made with; applied in turn up to the current version.
MIGRATIONS: dict[str, Migration] = {
    "1": Migration(
        renames={},
        note=(
            "this link was made with model version 1; the model has changed (version 2 holds wars, blockades "
            "and suspensions for as long as they last, lets a resumption undo its suspension exactly, and starts "
            "from the relationship of 1947–49), so the same settings now draw a different line; its settings "
            "were kept"
        ),
    ),
    "2": Migration(
        renames={},
        note=(
            "this link was made with model version 2; the model has changed (version 3 weighs a large event "
            "more than its share of the scale, so that one brink-of-war crisis outweighs many mid-sized "
            "incidents, and its defaults were recalibrated), so the same settings now draw a different line; "
            "its settings were kept, and 'Weight of large events' at 1 gives version 2's way of counting"
        ),
    ),
    "3": Migration(
        renames={},
        note=(
            "this link was made with model version 3; the model has changed (version 4 counts one conflict once, "
            "switches a suspended body off until it resumes, ends a state when it is resolved, and was "
            "recalibrated against a blind panel of historians' levels), so the same settings now draw a "
            "different line; its settings were kept"
        ),
    ),
    "4": Migration(
        renames={},
        note=(
            "this link was made with model version 4; the model has changed (version 5 adds the month's terms "
            "of one sign as a norm, so that one war, or one rupture, is not stacked past the brink by the "
            "sanctions and suspensions around it, and was recalibrated against the blind panel), so the same "
            "settings now draw a different line; its settings were kept"
        ),
    ),
    "5": Migration(
        renames={},
        note=(
            "this link was made with model version 5; the model has changed (version 6 counts the start of a "
            "war, a treaty or a joint body as news in its month as well as a standing condition, and was "
            "recalibrated against the blind panel), so the same settings now draw a different line; its "
            "settings were kept"
        ),
    ),
}


@dataclass(frozen=True)
class Notice:
    key: str
    value: str
    message: str

    def __str__(self) -> str:
        return f"'{_shown(self.key)}={_shown(self.value)}': {self.message}"


def _shown(text: str) -> str:
    text = printable(text)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def model_version(codebook: Codebook) -> str:
    return codebook.model_version


def defaults(codebook: Codebook) -> ViewState:
    return settings.defaults(codebook)


def parse_query(query: str | Mapping[str, str | list[str]]) -> list[tuple[str, str]]:
    """A query string, a whole URL, or a mapping, as a list of (key, value) pairs in order."""
    if isinstance(query, str):
        text = query
        if _URL_START.match(query):  # a whole link, not a query whose values hold "://"
            try:
                text = urlsplit(query).query
            except ValueError:  # e.g. an unclosed "[" in the host
                text = query.partition("?")[2]
        return parse_qsl(text.lstrip("?"), keep_blank_values=True)
    pairs = []
    for key, value in query.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            pairs.append((str(key), str(item)))
    return pairs


class _Invalid(Exception):
    """A value that can't be used; its message says why."""


def whole_number(raw: str) -> int | None:
    """A whole number written in ASCII digits, or None: the one way a link's counts and versions are read.

    ``str.isdigit`` is true for characters ``int`` refuses ('²') and ``int`` reads other scripts' digits;
    a link's numbers are ASCII, so anything else is not a number here.
    """
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def _finite(raw: str) -> float:
    if not raw.isascii():  # float() reads '١٩٩٠' and full-width digits; a link's numbers are ASCII
        raise _Invalid("not a finite number; ignored")
    try:
        number = float(raw)
    except ValueError:
        raise _Invalid("not a finite number; ignored") from None
    if not math.isfinite(number):
        raise _Invalid("not a finite number; ignored")
    return number


def _clamp(number: float, setting: Setting, notes: list[str]) -> float:
    if number < setting.low or number > setting.high:
        notes.append(f"outside {setting.low:g}–{setting.high:g}; clamped")
        return min(max(number, setting.low), setting.high)
    return number


def _parse_number(setting: Setting, raw: str, codebook: Codebook, notes: list[str]) -> float:
    return round(_clamp(_finite(raw), setting, notes), setting.decimals)


def _parse_integer(setting: Setting, raw: str, codebook: Codebook, notes: list[str]) -> int:
    return int(round(_clamp(_finite(raw), setting, notes)))


def _parse_choice(setting: Setting, raw: str, codebook: Codebook, notes: list[str]) -> str:
    if raw not in setting.choices:
        raise _Invalid(f"unknown {setting.noun or setting.label.lower()}; ignored")
    return raw


def _parse_categories(setting: Setting, raw: str, codebook: Codebook, notes: list[str]) -> tuple[str, ...]:
    shown = [c for c in raw.split(",") if c]
    unknown = [c for c in shown if c not in setting.choices]
    if unknown:
        notes.append(f"unknown categories ignored ({len(unknown)})")
    kept = tuple(c for c in setting.choices if c in shown)
    return None if len(kept) == len(setting.choices) else kept  # all shown: the default, written as nothing


def _parse_flag(setting: Setting, raw: str, codebook: Codebook, notes: list[str]) -> bool:
    if raw not in ("0", "1"):
        raise _Invalid("not 0 or 1; ignored")
    return raw == "1"


def _parse_event_id(setting: Setting, raw: str, codebook: Codebook, notes: list[str]) -> str:
    if not is_event_id(raw):
        raise _Invalid("not an event id; ignored")
    return raw


def _parse_overrides(setting: Setting, raw: str, codebook: Codebook, notes: list[str]) -> dict[str, float]:
    """``id:score,id:score`` → {id: score}; bad pairs are dropped with a note."""
    overrides: dict[str, float] = {}
    bad = clamped = 0
    twice: list[str] = []
    for part in (p for p in raw.split(",") if p):
        event_id, sep, score = part.rpartition(":")
        try:
            number = _finite(score) if sep and is_event_id(event_id) else None
        except _Invalid:
            number = None
        if number is None:
            bad += 1
            continue
        if not setting.low <= number <= setting.high:
            clamped += 1
            number = min(max(number, setting.low), setting.high)
        if event_id in overrides:
            twice.append(event_id)
        elif len(overrides) >= MAX_OVERRIDES:
            notes.append(f"more than {MAX_OVERRIDES} rescored events; the rest ignored")
            break
        overrides[event_id] = number
    if bad:
        notes.append(f"{bad} part(s) not of the form event-id:score; ignored")
    if clamped:
        notes.append(f"{clamped} score(s) outside {setting.low:g}–{setting.high:g}; clamped")
    if twice:
        notes.append(
            f"{len(twice)} event(s) rescored more than once ({', '.join(sorted(set(twice))[:3])}); the last score kept"
        )
    return overrides


_PARSERS: dict[str, Callable[[Setting, str, Codebook, list[str]], Any]] = {
    "number": _parse_number,
    "integer": _parse_integer,
    "choice": _parse_choice,
    "categories": _parse_categories,
    "flag": _parse_flag,
    "event_id": _parse_event_id,
    "overrides": _parse_overrides,
}


def _parse_years(
    setting: Setting, raws: tuple[str | None, str | None], notices: list[Notice], current: tuple[int, int | None]
) -> tuple[int, int | None]:
    years = list(current)
    for i, (key, raw) in enumerate(zip(setting.url_keys, raws)):
        if raw is None:
            continue
        notes: list[str] = []
        try:
            years[i] = int(_clamp(_finite(raw), setting, notes))
        except _Invalid as err:
            notes.append(str(err))
        notices += [Notice(key, raw, note) for note in notes]
    if years[1] is not None and years[0] > years[1]:
        notices.append(Notice("to", str(years[1]), "before 'from'; the range was swapped"))
        years = [years[1], years[0]]
    return years[0], years[1]


MAX_PARAMETERS = 1000  # Streamlit drops a query with more parameters whole; the CLI does the same, with a notice
# Streamlit drops such a link before the app sees it, so the browser says what it held: the page's
# script (components/ui/assets/page.js) reloads the app with only this key and the link's count.
TOO_MANY_KEY = "too_many"


def _too_many(count: int | str) -> Notice:
    return Notice(
        "(link)",
        f"{count} parameters",
        f"more than {MAX_PARAMETERS} parameters; the whole link was ignored (a web page cannot pass on more)",
    )


def _collect(query, notices: list[Notice]) -> dict[str, str]:
    values: dict[str, str] = {}
    pairs = parse_query(query)
    if len(pairs) > MAX_PARAMETERS:
        notices.append(_too_many(len(pairs)))
        return values
    if len(pairs) == 1 and pairs[0][0] == TOO_MANY_KEY:
        # Written by the page's script only for a link of more than MAX_PARAMETERS; any other count is not it.
        count = whole_number(pairs[0][1])
        if count is not None and count > MAX_PARAMETERS:
            notices.append(_too_many(count))
            return values
    for key, value in pairs:
        if key in STREAMLIT_KEYS:
            continue
        if len(value) > MAX_VALUE_LENGTH:
            notices.append(Notice(key, value, f"longer than {MAX_VALUE_LENGTH} characters; ignored"))
            continue
        if key in values and values[key] != value:
            notices.append(Notice(key, value, "given more than once; the last value is used"))
        values[key] = value
    return values


def _migrate(values: dict[str, str], version: str, current: str, notices: list[Notice]) -> None:
    """Rename the keys of an older link, in place, and say what changed."""
    if version == current:
        return
    if version not in MIGRATIONS:
        notices.append(Notice("v", version, f"unknown model version; the link is read as version {current}"))
        return
    while version in MIGRATIONS and version != current:
        migration = MIGRATIONS[version]
        for old, new in migration.renames.items():
            if old in values:
                values.setdefault(new, values.pop(old))
        notices.append(Notice("v", version, migration.note))
        number = whole_number(version)
        version = str(number + 1) if number is not None else current


DATA_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _data_version(version: str | None, codebook: Codebook, notices: list[Notice]) -> None:
    """Say when a link was made with other data than the app now holds: the same settings then draw
    different numbers, and CHANGELOG.md lists what changed between the two versions."""
    if version is None or version == codebook.data_version:
        return
    if not DATA_VERSION.match(version):
        notices.append(Notice("dv", version, "not a data version (YYYY-MM-DD); ignored"))
        return
    when = "older" if version < codebook.data_version else "newer"
    notices.append(
        Notice(
            "dv",
            version,
            f"this link was made with {when} data (version {version}); the app now holds data version "
            f"{codebook.data_version}, so the same settings may draw different numbers. CHANGELOG.md lists every "
            f"revision between {min(version, codebook.data_version)} and {max(version, codebook.data_version)}",
        )
    )


def decode(
    query: str | Mapping[str, str | list[str]], codebook: Codebook, today_year: int | None = None
) -> tuple[ViewState, list[Notice]]:
    """Settings from a query string, and a notice for every part that was not applied as given."""
    notices: list[Notice] = []
    values = _collect(query, notices)
    current = model_version(codebook)
    _migrate(values, values.pop("v", current), current, notices)
    _data_version(values.pop("dv", None), codebook, notices)
    rows = settings.registry(codebook, today_year or settings.YEAR_MAX)
    state = defaults(codebook)
    explicit_preset = None
    updates: dict[Setting, Any] = {}
    for setting in rows:
        if setting.kind == "year_range":
            raws = tuple(values.pop(k, None) for k in setting.url_keys)
            if raws != (None, None):
                updates[setting] = _parse_years(setting, raws, notices, (YEAR_MIN, None))
            continue
        raw = values.pop(setting.key, None)
        if raw is None:
            continue
        notes: list[str] = []
        try:
            value = _PARSERS[setting.kind](setting, raw, codebook, notes)
        except _Invalid as err:
            notices.append(Notice(setting.key, raw, str(err)))
            continue
        notices += [Notice(setting.key, raw, note) for note in notes]
        if setting.key == "preset":
            explicit_preset = value
            state = settings.model_of_preset(codebook, value) if value in codebook.presets else state
        else:
            updates[setting] = value
    state = settings.with_values(state, updates)
    preset = CUSTOM if explicit_preset == CUSTOM else settings.preset_matching(state, codebook)
    state = replace(state, preset=preset)
    for key, value in values.items():
        notices.append(Notice(key, value, "unknown setting; ignored"))
    return state, notices


def _format(setting: Setting, value: Any) -> str:
    if setting.kind == "number":
        return f"{value:g}"
    if setting.kind == "integer":
        return str(int(value))
    if setting.kind == "flag":
        return "1" if value else "0"
    if setting.kind == "categories":
        return ",".join(value)
    if setting.kind == "overrides":
        return ",".join(f"{k}:{v:g}" for k, v in sorted(value.items()))
    return str(value)


def _differs(setting: Setting, value: Any, base: Any, codebook: Codebook) -> bool:
    if setting.kind == "categories":
        return value is not None and set(value) != set(codebook.category_keys)
    if setting.kind in ("number", "integer"):
        return abs(float(value) - float(base)) > 1e-9
    return value != base


def encode_pairs(state: ViewState, codebook: Codebook) -> list[tuple[str, str]]:
    """The (key, value) pairs that differ from the defaults, in the registry's order."""
    pairs: list[tuple[str, str]] = [("v", model_version(codebook)), ("dv", codebook.data_version)]
    default = defaults(codebook)
    # Weights are written where they differ from the preset's own.
    base = settings.model_of_preset(codebook, state.preset) if state.preset in codebook.presets else default
    for setting in settings.registry(codebook):
        if not setting.in_link:
            continue
        value = settings.get(state, setting)
        if setting.kind == "year_range":
            year_from, year_to = value
            if year_from != YEAR_MIN:
                pairs.append(("from", str(year_from)))
            if year_to is not None:
                pairs.append(("to", str(year_to)))
            continue
        reference = settings.get(default if setting.key == "preset" else base, setting)
        if value is not None and _differs(setting, value, reference, codebook):
            pairs.append((setting.key, _format(setting, value)))
    return pairs


def encode(state: ViewState, codebook: Codebook) -> str:
    """The query string of a view, without the leading '?'."""
    return urlencode(encode_pairs(state, codebook), safe=",:")
