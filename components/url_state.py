"""The view in the URL: a query string turned into settings and back.

Pure: no streamlit. The dashboard binds its widgets to the same keys
(``bind="query-params"``); this module is the one place that says what each
key means, its range and its default, so that the command-line export and
the tests read a shared link exactly as the app does.

Each parameter is parsed as valid, invalid or missing: only valid values are
applied; an out-of-range number is clamped; everything else is dropped with a
notice that says what was wrong. Only what differs from the defaults is
written back.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Iterable, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit

from components.codebook import Codebook

MODEL_VERSION = "1"
WEIGHT_MIN, WEIGHT_MAX, WEIGHT_STEP = 0.0, 3.0, 0.1
HALF_LIFE_MIN, HALF_LIFE_MAX = 1, 120
SPREAD_MIN, SPREAD_MAX, SPREAD_STEP = 0.0, 1.0, 0.05
YEAR_MIN = 1949
MAX_VALUE_LENGTH = 2000
MAX_OVERRIDES = 50
COMPARE_CHOICES = ("none", "default")  # plus every preset key
# Keys Streamlit itself may put in a URL; not ours, never reported.
STREAMLIT_KEYS = frozenset({"embed", "embed_options"})
_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,119}$")


def weight_key(category: str) -> str:
    return f"w_{category}"


ACTORS = ("nato", "ussr_russia", "both", "other")  # as in the events' actor column


def actor_key(actor: str) -> str:
    return f"a_{actor}"


@dataclass(frozen=True)
class ViewState:
    """Every setting that changes what the dashboard shows."""

    weights: Mapping[str, float]
    half_life_months: int
    spread: float
    preset: str = "custom"
    year_from: int = YEAR_MIN
    year_to: int | None = None  # None: up to the latest month
    categories_shown: tuple[str, ...] | None = None  # None: all
    selected: str | None = None
    compare: str = "none"
    overrides: Mapping[str, float] = field(default_factory=dict)
    actor_weights: Mapping[str, float] = field(default_factory=lambda: {a: 1.0 for a in ACTORS})


@dataclass(frozen=True)
class Notice:
    key: str
    value: str
    message: str

    def __str__(self) -> str:
        shown = self.value if len(self.value) <= 40 else self.value[:39] + "…"
        return f"'{self.key}={shown}': {self.message}"


def defaults(codebook: Codebook) -> ViewState:
    return ViewState(
        weights=dict(codebook.default_weights),
        half_life_months=int(round(codebook.engine.half_life_months)),
        spread=codebook.engine.band_spread,
        preset=_default_preset(codebook),
    )


def _default_preset(codebook: Codebook) -> str:
    for key, preset in codebook.presets.items():
        if dict(preset.weights) == codebook.default_weights:
            return key
    return "custom"


def _finite(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _clamped(key: str, raw: str, low: float, high: float, notices: list[Notice]) -> float | None:
    number = _finite(raw)
    if number is None:
        notices.append(Notice(key, raw, "not a finite number; ignored"))
        return None
    if number < low or number > high:
        notices.append(Notice(key, raw, f"outside {low:g}–{high:g}; clamped"))
        number = min(max(number, low), high)
    return number


def parse_query(query: str | Mapping[str, str | list[str]]) -> list[tuple[str, str]]:
    """A query string, a URL, or a mapping, as a list of (key, value) pairs in order."""
    if isinstance(query, str):
        text = urlsplit(query).query if "://" in query else query.lstrip("?")
        return parse_qsl(text, keep_blank_values=True)
    pairs = []
    for key, value in query.items():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            pairs.append((str(key), str(item)))
    return pairs


def decode(query: str | Mapping[str, str | list[str]], codebook: Codebook,
           today_year: int | None = None) -> tuple[ViewState, list[Notice]]:
    """Settings from a query string, and a notice for every part that was not applied as given."""
    state = defaults(codebook)
    notices: list[Notice] = []
    values: dict[str, str] = {}
    for key, value in parse_query(query):
        if key in STREAMLIT_KEYS:
            continue
        if len(value) > MAX_VALUE_LENGTH:
            notices.append(Notice(key, value, f"longer than {MAX_VALUE_LENGTH} characters; ignored"))
            continue
        if key in values and values[key] != value:
            notices.append(Notice(key, value, "given more than once; the last value is used"))
        values[key] = value

    version = values.pop("v", MODEL_VERSION)
    if version != MODEL_VERSION:
        notices.append(Notice("v", version, f"this link was made with model version {version!r}; "
                                            f"it is shown with version {MODEL_VERSION}, so numbers may differ"))
    weights = dict(state.weights)
    changes: dict = {}
    preset = values.pop("preset", None)
    if preset is not None:
        if preset in codebook.presets:
            weights = dict(codebook.presets[preset].weights)
            changes["preset"] = preset
        elif preset == "custom":
            changes["preset"] = "custom"
        else:
            notices.append(Notice("preset", preset, "unknown preset; ignored"))
    changes["weights"] = weights = _weights(values, weights, weight_key, notices)
    changes["actor_weights"] = _weights(values, {a: 1.0 for a in ACTORS}, actor_key, notices)
    if "preset" not in changes or changes["preset"] != "custom":
        changes["preset"] = preset_matching(weights, codebook)
    if (raw := values.pop("hl", None)) is not None:
        number = _clamped("hl", raw, HALF_LIFE_MIN, HALF_LIFE_MAX, notices)
        if number is not None:
            changes["half_life_months"] = int(round(number))
    if (raw := values.pop("spread", None)) is not None:
        number = _clamped("spread", raw, SPREAD_MIN, SPREAD_MAX, notices)
        if number is not None:
            changes["spread"] = round(number, 2)
    year_max = today_year or 2100
    for key, attr in (("from", "year_from"), ("to", "year_to")):
        if (raw := values.pop(key, None)) is not None:
            number = _clamped(key, raw, YEAR_MIN, year_max, notices)
            if number is not None:
                changes[attr] = int(number)
    if changes.get("year_to") is not None and changes.get("year_from", YEAR_MIN) > changes["year_to"]:
        notices.append(Notice("to", str(changes["year_to"]), "before 'from'; the range was swapped"))
        changes["year_from"], changes["year_to"] = changes["year_to"], changes.get("year_from", YEAR_MIN)
    if (raw := values.pop("cats", None)) is not None:
        shown = [c for c in raw.split(",") if c]
        unknown = [c for c in shown if c not in codebook.categories]
        if unknown:
            notices.append(Notice("cats", raw, "unknown categories ignored: " + ", ".join(unknown)))
        changes["categories_shown"] = tuple(c for c in codebook.category_keys if c in shown)
    if (raw := values.pop("ev", None)) is not None:
        if _ID_RE.match(raw):
            changes["selected"] = raw
        else:
            notices.append(Notice("ev", raw, "not an event id; ignored"))
    if (raw := values.pop("cmp", None)) is not None:
        if raw in COMPARE_CHOICES or raw in codebook.presets:
            changes["compare"] = raw
        else:
            notices.append(Notice("cmp", raw, "unknown comparison; ignored"))
    if (raw := values.pop("ov", None)) is not None:
        changes["overrides"] = _decode_overrides(raw, codebook, notices)
    for key, value in values.items():
        notices.append(Notice(key, value, "unknown setting; ignored"))
    return replace(state, **changes), notices


def _weights(values: dict[str, str], start: Mapping[str, float], key_of, notices: list[Notice]) -> dict[str, float]:
    """``start`` with each weight the query gives (popped from ``values``), clamped to 0–3."""
    weights = dict(start)
    for name in start:
        raw = values.pop(key_of(name), None)
        if raw is not None:
            number = _clamped(key_of(name), raw, WEIGHT_MIN, WEIGHT_MAX, notices)
            if number is not None:
                weights[name] = round(number, 2)
    return weights


def preset_matching(weights: Mapping[str, float], codebook: Codebook) -> str:
    for key, preset in codebook.presets.items():
        if all(abs(weights[c] - preset.weights[c]) < 1e-9 for c in codebook.category_keys):
            return key
    return "custom"


def _decode_overrides(raw: str, codebook: Codebook, notices: list[Notice]) -> dict[str, float]:
    """``id:score,id:score`` → {id: score}; bad pairs are dropped with a notice."""
    overrides: dict[str, float] = {}
    for part in (p for p in raw.split(",") if p):
        event_id, sep, score = part.rpartition(":")
        number = _finite(score) if sep else None
        if not sep or not _ID_RE.match(event_id) or number is None:
            notices.append(Notice("ov", part, "not of the form event-id:score; ignored"))
            continue
        if not codebook.scale_min <= number <= codebook.scale_max:
            notices.append(Notice("ov", part, f"score outside {codebook.scale_min}–{codebook.scale_max}; clamped"))
            number = min(max(number, codebook.scale_min), codebook.scale_max)
        if len(overrides) >= MAX_OVERRIDES:
            notices.append(Notice("ov", part, f"more than {MAX_OVERRIDES} overrides; the rest ignored"))
            break
        overrides[event_id] = number
    return overrides


def _number(value: float) -> str:
    return f"{value:g}"


def encode_pairs(state: ViewState, codebook: Codebook) -> list[tuple[str, str]]:
    """The (key, value) pairs that differ from the defaults, in a stable order."""
    base = defaults(codebook)
    pairs: list[tuple[str, str]] = [("v", MODEL_VERSION)]
    preset_weights = codebook.presets[state.preset].weights if state.preset in codebook.presets else base.weights
    if state.preset != base.preset:
        pairs.append(("preset", state.preset))
    for category in codebook.category_keys:
        value = state.weights.get(category, 0.0)
        if abs(value - preset_weights.get(category, base.weights[category])) > 1e-9:
            pairs.append((weight_key(category), _number(value)))
    for actor in ACTORS:
        value = state.actor_weights.get(actor, 1.0)
        if abs(value - 1.0) > 1e-9:
            pairs.append((actor_key(actor), _number(value)))
    if state.half_life_months != base.half_life_months:
        pairs.append(("hl", str(state.half_life_months)))
    if abs(state.spread - base.spread) > 1e-9:
        pairs.append(("spread", _number(state.spread)))
    if state.year_from != YEAR_MIN:
        pairs.append(("from", str(state.year_from)))
    if state.year_to is not None:
        pairs.append(("to", str(state.year_to)))
    if state.categories_shown is not None and set(state.categories_shown) != set(codebook.category_keys):
        pairs.append(("cats", ",".join(state.categories_shown)))
    if state.selected:
        pairs.append(("ev", state.selected))
    if state.compare != "none":
        pairs.append(("cmp", state.compare))
    if state.overrides:
        pairs.append(("ov", ",".join(f"{k}:{_number(v)}" for k, v in sorted(state.overrides.items()))))
    return pairs


def encode(state: ViewState, codebook: Codebook) -> str:
    """The query string of a view, without the leading '?'."""
    return urlencode(encode_pairs(state, codebook), safe=",:")


def describe(notices: Iterable[Notice]) -> str:
    return "; ".join(str(n) for n in notices)
