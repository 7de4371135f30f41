"""The codebook: the one vocabulary of the index.

Over 400 lines, on purpose: each part of the vocabulary is a small typed record and a loader check with its
message; they are one file because they are one TOML file, checked against each other.

Read from ``data/codebook.toml``: the scale (its ends) and its anchors, the
categories (with their default weights, colours and marker symbols), the
actors, the persistence kinds, the confidence levels (with their score error),
the coders, the named levels of the scale, the verdicts on the source
article's claims, the presets, the engine's defaults and the model version.
Nothing here is stated anywhere else in the code (``tests/test_vocabulary.py``
greps ``components/`` for it), so adding a category, an actor, a level or a
coder is one edit of the TOML file, which :func:`load_codebook` checks. The
engine implements the persistence kinds and the scale's ends; the loader
checks that the codebook names the same ones.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from components.paths import CODEBOOK_TOML

_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")  # a key that can stand in a URL key such as w_<category>
_COLOUR_RE = re.compile(r"^#[0-9A-Fa-f]{6}$")
_TINT_RE = re.compile(r"^rgba\(\s*\d+,\s*\d+,\s*\d+,\s*[0-9.]+\)$")
# Marker symbols plotly draws; the star is kept for events named in the source article.
MARKER_SYMBOLS = frozenset(
    {
        "circle",
        "square",
        "diamond",
        "cross",
        "x",
        "triangle-up",
        "triangle-down",
        "triangle-left",
        "triangle-right",
        "pentagon",
        "hexagon",
        "hexagram",
        "octagon",
        "hourglass",
        "bowtie",
        "asterisk",
        "hash",
        "y-up",
        "y-down",
    }
)
ARTICLE_SYMBOL = "star"


class CodebookError(ValueError):
    """The codebook file is inconsistent; the message says where."""


@dataclass(frozen=True)
class Anchor:
    score: int
    label: str
    meaning: str
    examples: str


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    weight: float
    description: str
    colour: str
    symbol: str


@dataclass(frozen=True)
class Actor:
    key: str
    label: str


@dataclass(frozen=True)
class Persistence:
    """The persistence kinds, in the engine's order: what fades, what stands while it lasts, what changes the
    rules until a later row reverses it (the loader checks them against ``engine.PERSISTENCES``)."""

    kinds: tuple[str, ...]
    default: str  # a row that leaves persistence empty
    description: str = ""

    @property
    def shock(self) -> str:
        return self.kinds[0]

    @property
    def state(self) -> str:
        return self.kinds[1]

    @property
    def structural(self) -> str:
        return self.kinds[2]

    @property
    def standing(self) -> tuple[str, str]:
        """The kinds that stand until a row ends them: what ``ends`` and ``suspends`` may name."""
        return (self.state, self.structural)


@dataclass(frozen=True)
class Coder:
    """One coder of the shipped events: their scores are ``score_<key>`` in data/codings.csv."""

    key: str
    name: str  # as a sentence names them ("A")
    label: str  # as the `coder` setting offers them ("Coding A")
    compare_label: str  # as the comparison offers them ("Defaults, coding A's scores")
    notes: bool = False  # data/codings.csv has this coder's notes (note_<key>)

    @property
    def score_column(self) -> str:
        return f"score_{self.key}"

    @property
    def persistence_column(self) -> str:
        return f"persistence_{self.key}"

    @property
    def note_column(self) -> str:
        return f"note_{self.key}"

    @property
    def compare_key(self) -> str:
        """The comparison's value (``cmp``) for the defaults with this coder's scores."""
        return f"coder_{self.key}"


@dataclass(frozen=True)
class Band:
    """A named level of the scale (``low`` ≤ value < ``high``)."""

    name: str
    low: float
    high: float
    tint: str = "rgba(0, 0, 0, 0)"


@dataclass(frozen=True)
class Verdict:
    key: str
    label: str
    colour: str


@dataclass(frozen=True)
class CalibrationTarget:
    """A named period and the level the index should have there (what the defaults are fitted to)."""

    name: str
    start: str  # YYYY-MM
    end: str
    level: float
    why: str
    events: tuple[str, ...]


@dataclass(frozen=True)
class Kind:
    """A kind of event the sweeps look for (a sanction, an incident, a call), how it is scored, and the pattern
    that finds its rows for the coverage table."""

    key: str
    label: str
    scoring: str
    match: str


@dataclass(frozen=True)
class PanelFit:
    """How the calibrated defaults fit the blind panel's median (``benchmarks.calibrate`` measures it)."""

    folds: int
    in_sample_mae: float
    in_sample_rho: float
    out_of_sample_mae: float
    out_of_sample_rho: float


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    description: str
    weights: Mapping[str, float]


@dataclass(frozen=True)
class EngineDefaults:
    baseline: float
    half_life_months: float
    structural_weight: float
    state_weight: float
    squash_width: float
    intensity: float  # p, the intensity exponent
    state_half_life_months: float  # H: a standing state's weight halves every H months (inf: never)
    band_spread: float
    band_draws: int
    band_percentiles: tuple[float, float]
    score_sd: Mapping[str, float]  # the band's score error by confidence (high, medium, low)
    norm: float  # m: the month's terms of one sign add up as an m-norm (1: a plain sum, model v4)
    onset_weight: float  # o: a structural event's start as news, a fading shock of o·q (0: model v5)
    state_onset_weight: float  # o_s: a state's start as news, a fading shock of o_s·q (0: model v5)


@dataclass(frozen=True)
class Codebook:
    model_version: str
    data_version: str
    scale_min: int
    scale_max: int
    scale_description: str
    anchors: tuple[Anchor, ...]
    categories: Mapping[str, Category]
    actors: Mapping[str, Actor]
    persistence: Persistence
    confidence_levels: tuple[str, ...]  # the events' `confidence` values, each with a score_sd in [engine]
    default_confidence: str
    coders: Mapping[str, Coder]
    adjudicated: str  # the `coder` setting's value for the adjudicated scores
    adjudicated_label: str
    date_rules: tuple[str, ...]
    adding_steps: tuple[str, ...]
    engine: EngineDefaults
    bands: tuple[Band, ...]
    verdicts: Mapping[str, Verdict]
    presets: Mapping[str, Preset]
    calibration: tuple[CalibrationTarget, ...] = ()
    panel_fit: PanelFit | None = None
    sources_end: str = ""  # YYYY-MM: the latest stored report the last sweep found
    kinds: tuple[Kind, ...] = ()

    @property
    def persistence_description(self) -> str:
        return self.persistence.description

    @property
    def coder_choices(self) -> tuple[tuple[str, str], ...]:
        """The `coder` setting's (value, label) pairs: the adjudicated scores first, then each coder's."""
        return ((self.adjudicated, self.adjudicated_label),) + tuple((c.key, c.label) for c in self.coders.values())

    @property
    def scale_ends(self) -> tuple[str, str]:
        """The scale's ends as a page writes them, signed with a true minus: ("−10", "+10")."""
        return f"{self.scale_min:+d}".replace("-", "−"), f"{self.scale_max:+d}"

    @property
    def scale_end_words(self) -> tuple[str, str]:
        """The end anchors' first words, lower case: ("war", "alliance")."""
        anchors = {a.score: a.label.split()[0].lower() for a in self.anchors}
        return anchors[self.scale_min], anchors[self.scale_max]

    @property
    def sources_end_label(self) -> str:
        """The month the sources end, as the page writes it ("May 2026"), or "" when the codebook does not say."""
        return pd.Timestamp(self.sources_end + "-01").strftime("%B %Y") if self.sources_end else ""

    @property
    def category_keys(self) -> tuple[str, ...]:
        return tuple(self.categories)

    @property
    def actor_keys(self) -> tuple[str, ...]:
        return tuple(self.actors)

    @property
    def category_labels(self) -> dict[str, str]:
        return {key: cat.label for key, cat in self.categories.items()}

    @property
    def default_weights(self) -> dict[str, float]:
        return {key: cat.weight for key, cat in self.categories.items()}

    @property
    def default_actor_weights(self) -> dict[str, float]:
        return {key: 1.0 for key in self.actors}

    @property
    def band_range_label(self) -> str:
        """The band's percentiles in words, e.g. "10th–90th percentile"."""
        low, high = self.engine.band_percentiles
        return f"{_ordinal(low)}–{_ordinal(high)} percentile"

    @property
    def band_coverage(self) -> float:
        """The share of draws inside the band, in percent (80 for the 10th–90th percentile)."""
        low, high = self.engine.band_percentiles
        return high - low

    def band_of(self, value: float) -> str:
        """Name of the level that holds ``value`` (the upper edge belongs to the level above)."""
        for band in self.bands:
            if band.low <= value < band.high:
                return band.name
        return self.bands[-1].name if value >= self.bands[-1].high else self.bands[0].name


def _ordinal(number: float) -> str:
    n = int(number) if float(number).is_integer() else number
    if isinstance(n, float):
        return f"{n:g}th"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def load_codebook(path: Path = CODEBOOK_TOML) -> Codebook:
    """Parse and check the codebook TOML file. Raises :class:`CodebookError` naming what is wrong."""
    with open(path, "rb") as handle:
        raw = tomllib.load(handle)
    try:
        return _build(raw)
    except KeyError as err:
        raise CodebookError(f"{path.name}: missing entry {err}") from None


def _build(raw: dict) -> Codebook:
    categories = {
        key: Category(key, spec["label"], float(spec["weight"]), spec["description"], spec["colour"], spec["symbol"])
        for key, spec in raw["categories"].items()
    }
    actors = {key: Actor(key, spec["label"]) for key, spec in raw["actors"].items()}
    presets = {
        key: Preset(key, spec["label"], spec["description"], {k: float(v) for k, v in spec["weights"].items()})
        for key, spec in raw.get("presets", {}).items()
    }
    verdicts = {key: Verdict(key, spec["label"], spec["colour"]) for key, spec in raw["verdicts"].items()}
    eng = raw["engine"]
    low, high = (float(p) for p in eng["band_percentiles"])
    codebook = Codebook(
        model_version=str(raw["model_version"]),
        data_version=str(raw["data_version"]),
        sources_end=str(raw.get("sources_end", "")),
        scale_min=int(raw["scale"]["min"]),
        scale_max=int(raw["scale"]["max"]),
        scale_description=raw["scale"]["description"].strip(),
        anchors=tuple(
            Anchor(int(a["score"]), a["label"], a["meaning"], a["examples"]) for a in raw["scale"]["anchors"]
        ),
        categories=categories,
        actors=actors,
        persistence=Persistence(
            tuple(raw["persistence"]["kinds"]),
            raw["persistence"]["default"],
            raw["persistence"]["description"].strip(),
        ),
        confidence_levels=tuple(raw["confidence"]["levels"]),
        default_confidence=raw["confidence"]["default"],
        coders={
            key: Coder(key, spec["name"], spec["label"], spec["compare_label"], bool(spec.get("notes", False)))
            for key, spec in raw["coders"].items()
        },
        adjudicated=raw["coding"]["adjudicated"],
        adjudicated_label=raw["coding"]["adjudicated_label"],
        date_rules=tuple(raw["dates"]["rules"]),
        adding_steps=tuple(raw["adding"]["steps"]),
        engine=EngineDefaults(
            baseline=float(eng["baseline"]),
            half_life_months=float(eng["half_life_months"]),
            structural_weight=float(eng["structural_weight"]),
            state_weight=float(eng["state_weight"]),
            squash_width=float(eng["squash_width"]),
            intensity=float(eng["intensity"]),
            state_half_life_months=float(eng.get("state_half_life_months", "inf")),
            band_spread=float(eng["band_spread"]),
            band_draws=int(eng["band_draws"]),
            band_percentiles=(low, high),
            score_sd={k: float(v) for k, v in eng["score_sd"].items()},
            norm=float(eng.get("norm", 1.0)),
            onset_weight=float(eng.get("onset_weight", 0.0)),
            state_onset_weight=float(eng.get("state_onset_weight", 0.0)),
        ),
        bands=tuple(Band(b["name"], float(b["low"]), float(b["high"]), b["tint"]) for b in raw["bands"]),
        verdicts=verdicts,
        presets=presets,
        kinds=tuple(Kind(k["key"], k["label"], k["scoring"].strip(), k["match"]) for k in raw.get("kinds", [])),
        panel_fit=PanelFit(**{k: (int if k == "folds" else float)(v) for k, v in raw["panel"].items()})
        if "panel" in raw
        else None,
        calibration=tuple(
            CalibrationTarget(c["name"], c["start"], c["end"], float(c["level"]), c["why"], tuple(c["events"]))
            for c in raw.get("calibration", [])
        ),
    )
    _check(codebook)
    return codebook


def _check(codebook: Codebook) -> None:
    """Everything the app relies on: keys usable in links, every category styled, symbols distinct."""
    problems = []
    for kind, keys in (
        ("category", codebook.categories),
        ("actor", codebook.actors),
        ("preset", codebook.presets),
        ("verdict", codebook.verdicts),
        ("coder", codebook.coders),
    ):
        problems += [f"{kind} key {k!r}: lowercase letters, digits and '_' only" for k in keys if not _KEY_RE.match(k)]
    for cat in codebook.categories.values():
        if not _COLOUR_RE.match(cat.colour):
            problems.append(f"category {cat.key!r}: colour {cat.colour!r} is not #RRGGBB")
        if cat.symbol not in MARKER_SYMBOLS:
            problems.append(f"category {cat.key!r}: symbol {cat.symbol!r} is not one of {sorted(MARKER_SYMBOLS)}")
    symbols = [c.symbol for c in codebook.categories.values()]
    if len(set(symbols)) != len(symbols):
        problems.append(f"categories share a marker symbol: {sorted(s for s in set(symbols) if symbols.count(s) > 1)}")
    colours = [c.colour.lower() for c in codebook.categories.values()]
    if len(set(colours)) != len(colours):
        problems.append("categories share a colour")
    for band in codebook.bands:
        if not _TINT_RE.match(band.tint):
            problems.append(f"level {band.name!r}: tint {band.tint!r} is not rgba(r, g, b, a)")
    edges = [(b.low, b.high) for b in codebook.bands]
    if any(a[1] != b[0] for a, b in zip(edges, edges[1:])):
        problems.append("levels must follow each other without gaps or overlaps")
    for preset in codebook.presets.values():
        unknown = set(preset.weights) - set(codebook.categories)
        missing = set(codebook.categories) - set(preset.weights)
        if unknown or missing:
            problems.append(f"preset {preset.key!r}: unknown {sorted(unknown)}, missing {sorted(missing)}")
    low, high = codebook.engine.band_percentiles
    if not 0 <= low < high <= 100:
        problems.append("band_percentiles must be two numbers 0 ≤ low < high ≤ 100")
    problems += _vocabulary_problems(codebook)
    if problems:
        raise CodebookError("codebook.toml: " + "; ".join(problems))


def _vocabulary_problems(codebook: Codebook) -> list[str]:
    """The scale's ends, the persistence kinds, the confidence levels and the coders: that they agree with each
    other and with what the engine implements."""
    from components.engine import PERSISTENCES, SCALE_MAX  # the engine reads the codebook: imported here

    problems = []
    if (codebook.scale_min, codebook.scale_max) != (-SCALE_MAX, SCALE_MAX):
        problems.append(
            f"[scale] min and max must be {-SCALE_MAX:g} and {SCALE_MAX:g}, the ends the engine's intensity and "
            f"squash are written for (components/engine.py SCALE_MAX), not {codebook.scale_min} and {codebook.scale_max}"
        )
    scores = [a.score for a in codebook.anchors]
    if scores and (min(scores), max(scores)) != (codebook.scale_min, codebook.scale_max):
        problems.append("[scale] the anchors must run from the scale's min to its max")
    persistence = codebook.persistence
    if persistence.kinds != PERSISTENCES:
        problems.append(
            f"[persistence] kinds {list(persistence.kinds)} must be the ones the engine implements, in its order: "
            f"{list(PERSISTENCES)} (components/engine.py PERSISTENCES)"
        )
    if persistence.default not in persistence.kinds:
        problems.append(f"[persistence] default {persistence.default!r} is not one of the kinds")
    levels, sd = codebook.confidence_levels, codebook.engine.score_sd
    if not levels or len(set(levels)) != len(levels):
        problems.append("[confidence] levels must be a list of distinct names")
    without = [level for level in levels if level not in sd]
    if without:
        problems.append(
            f"[confidence] level(s) {without} have no score error: add each to [engine] score_sd "
            "(the band's draws need an sd for every level)"
        )
    unknown = sorted(set(sd) - set(levels))
    if unknown:
        problems.append(f"[engine] score_sd names {unknown}, which are not [confidence] levels")
    if codebook.default_confidence not in levels:
        problems.append(f"[confidence] default {codebook.default_confidence!r} is not one of the levels")
    if len(codebook.coders) != 2:
        problems.append("[coders] must name two coders: the agreement (Krippendorff's α) compares two codings")
    if codebook.adjudicated in codebook.coders:
        problems.append(f"[coding] adjudicated {codebook.adjudicated!r} is also a coder's key")
    return problems
