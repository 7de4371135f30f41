"""The settings registry: every setting that changes what the dashboard shows, in one place.

Over 400 lines, on purpose: the registry is the one list of settings (the link, the controls, the chips,
the help texts and the README's URL table all read it), so its rows and the functions that render them
live together.

Each :class:`Setting` row says the field of :class:`ViewState` it fills, its
key (in the link and in the session), its kind, range, step, label and help,
whether it travels in the link and whether it is part of the index *model*
(reset restores it; a preset is "custom" once it differs). The URL codec
(``components.url_state``), the sidebar controls, reset, the README's table
test and the round-trip property test all iterate :func:`registry`, so adding
a setting is one row here (plus, where it changes the numbers, one line where
the engine's parameters are built, ``components.view.params_for``).

Pure: no streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

from components.codebook import Codebook

YEAR_MIN = 1949
YEAR_MAX = 2100  # the codec clamps to the current year; this is only the upper bound of the type
MAX_OVERRIDES = 50
CUSTOM = "custom"

Kind = Literal["number", "integer", "choice", "categories", "flag", "event_id", "overrides", "year_range"]


@dataclass(frozen=True)
class ViewState:
    """Every setting that changes what the dashboard shows (the fields :func:`registry` names)."""

    # The model's settings have no defaults here: the codebook's are the defaults (:func:`defaults`).
    weights: Mapping[str, float]
    half_life_months: int
    spread: float
    intensity: float  # p of the engine's intensity f(s) = 10·sgn(s)·(|s|/10)^p
    coder: str  # the codebook's ``adjudicated`` or one of its coders
    preset: str
    year_from: int = YEAR_MIN
    year_to: int | None = None  # None: up to the latest month
    categories_shown: tuple[str, ...] | None = None  # None: all
    show_eras: bool = True
    selected: str | None = None
    compare: str = "none"
    overrides: Mapping[str, float] = field(default_factory=dict)
    actor_weights: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Setting:
    key: str  # in the link and in st.session_state
    field: str  # a ViewState field; "weights.military" for one entry of a mapping field
    kind: Kind
    label: str
    help: str = ""
    group: str = "view"  # where the control is drawn: weights, actors, memory, view
    low: float | None = None
    high: float | None = None
    step: float | None = None
    choices: tuple[str, ...] = ()
    in_link: bool = True
    model: bool = False  # part of the index model: reset restores it; a preset becomes "custom" once it differs
    noun: str = ""  # what a notice calls a value of it ("unknown comparison"); the label by default
    choice_labels: tuple[tuple[str, str], ...] = ()  # (value, label) for a choice shown by name
    short: str = ""  # what a list of settings calls it ("half-life"); a weight is listed by its group
    doc: str = ""  # what the README's table of link keys says it means

    @property
    def url_keys(self) -> tuple[str, ...]:
        """The keys this setting writes in a link (a year range writes two)."""
        return ("from", "to") if self.kind == "year_range" else (self.key,)

    @property
    def decimals(self) -> int:
        """Decimal places a number of this setting keeps (from its step)."""
        if self.step is None or float(self.step).is_integer():
            return 0
        return len(f"{self.step:g}".split(".")[1])


_REGISTRIES: dict[tuple[int, int], tuple[Codebook, tuple[Setting, ...]]] = {}
BUILT = {"registries": 0}  # how many registries were built (a test counts them)


def registry(codebook: Codebook, this_year: int = YEAR_MAX) -> tuple[Setting, ...]:
    """Every setting, in the order the link writes them and the controls draw them.

    Built once per codebook and year (a weight step asked for it eight times, 642 lookups, about 10 ms); the
    codebook is kept with its rows, so its id cannot be reused by another codebook while the entry lives.
    """
    key = (id(codebook), int(this_year))
    cached = _REGISTRIES.get(key)
    if cached is not None and cached[0] is codebook:
        return cached[1]
    rows = _model_rows(codebook) + _view_rows(codebook, this_year)
    BUILT["registries"] += 1
    if len(_REGISTRIES) > 16:  # a handful of codebooks at most (the shipped one, tests' variants)
        _REGISTRIES.clear()
    _REGISTRIES[key] = (codebook, rows)
    return rows


def _model_rows(codebook: Codebook) -> tuple[Setting, ...]:
    weight = {"kind": "number", "low": 0.0, "high": 3.0, "step": 0.1, "model": True}
    rows = [
        Setting(
            "preset",
            "preset",
            "choice",
            "Preset",
            group="weights",
            model=True,
            choices=tuple(codebook.presets) + (CUSTOM,),
            help="A preset sets every category weight at once; moving any model setting makes it Custom.",
            short="preset",
        )
    ]
    rows += [
        Setting(f"w_{key}", f"weights.{key}", label=cat.label, help=cat.description, group="weights", **weight)
        for key, cat in codebook.categories.items()
    ]
    rows += [
        Setting(
            f"a_{key}",
            f"actor_weights.{key}",
            label=actor.label,
            group="actors",
            help=f"Weight of events taken by {actor.label.lower()}, on top of their category's weight.",
            **weight,
        )
        for key, actor in codebook.actors.items()
    ]
    rows += [
        Setting(
            "hl",
            "half_life_months",
            "integer",
            "Half-life of a shock (months)",
            group="memory",
            low=1,
            high=120,
            step=1,
            model=True,
            help="After this many months a shock keeps half its effect. Structural events do not fade.",
            short="half-life",
            doc="half-life of a shock, months",
        ),
        Setting(
            "p",
            "intensity",
            "number",
            "Weight of large events (p)",
            group="memory",
            low=1.0,
            high=3.0,
            step=0.25,
            model=True,
            noun="intensity exponent",
            help="An event counts with 10·(|score|/10)^p instead of its score. At 1 the scale's steps are equal "
            "(a −6 counts twice a −3); the higher p, the more one large event outweighs many small ones "
            "(at 2.5 a −6 counts 5.7 times a −3).",
            short="weight of large events",
            doc="weight of large events: the intensity exponent *p*",
        ),
        Setting(
            "coder",
            "coder",
            "choice",
            "Scores from",
            group="memory",
            model=True,
            noun="coding",
            choices=tuple(k for k, _ in codebook.coder_choices),
            choice_labels=codebook.coder_choices,
            help="Which coding's scores the index uses: the adjudicated scores (default), the first coding (A) or "
            "the blind second coding (B). Persistence and dates are the adjudicated ones in all three.",
            short="coding",
            doc="whose scores the index uses: the adjudicated ones, the first coding or the blind second coding",
        ),
    ]
    return tuple(rows)


def _view_rows(codebook: Codebook, this_year: int) -> tuple[Setting, ...]:
    return (
        Setting(
            "spread",
            "spread",
            "number",
            "Uncertainty range spread (σ)",
            group="memory",
            low=0.0,
            high=1.0,
            step=0.05,
            help="Each of the band's draws multiplies every weight by exp(σ·z), z standard normal. 0 hides the band.",
            short="band",
            doc="σ of the sensitivity band's weight draws (0 hides the band)",
        ),
        Setting("years", "years", "year_range", "Years shown", low=YEAR_MIN, high=this_year, step=1, short="years"),
        Setting(
            "cats",
            "categories_shown",
            "categories",
            "Event markers shown",
            choices=codebook.category_keys,
            help="Hides markers only; every event still counts in the index.",
            short="markers",
            doc="categories whose markers are shown, comma-separated (empty: none)",
        ),
        Setting(
            "eras",
            "show_eras",
            "flag",
            "Eras",
            help="Shade and name the historical periods.",
            doc="shade and name the eras",
        ),
        Setting("ev", "selected", "event_id", "Selected event", short="the selected event", doc="the selected event"),
        Setting(
            "cmp",
            "compare",
            "choice",
            "Compare with",
            noun="comparison",
            choices=("none", "default")
            + _distinct_presets(codebook)
            + tuple(c.compare_key for c in codebook.coders.values()),
            help="A second line: the whole model of the codebook's defaults or of a preset, or the defaults "
            "with coding A's or coding B's scores.",
            short="the comparison",
            doc="a second line: the whole model (all weights, half-life, coding, no rescorings) of the codebook's "
            "defaults or of a preset, or the defaults with coding A's or B's scores",
        ),
        Setting(
            "ov",
            "overrides",
            "overrides",
            "Rescored events",
            low=codebook.scale_min,
            high=codebook.scale_max,
            short="any rescored events",
            doc="rescored events, `id:score` pairs, comma-separated",
        ),
    )


GROUP_NAMES = {"weights": "category weights", "actors": "actor weights"}  # how a list names a weight's group


def _short(setting: Setting) -> str:
    if setting.key.startswith(("w_", "a_")):
        return GROUP_NAMES[setting.group]
    return setting.short or setting.label.lower()


def names(rows: tuple[Setting, ...]) -> list[str]:
    """The settings as a sentence lists them, a group of weights once: ["category weights", "half-life", …]."""
    return list(dict.fromkeys(_short(s) for s in rows))


def listing(words: list[str]) -> str:
    """ "a, b and c"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def model_names(codebook: Codebook) -> str:
    """The model's settings in words, as reset and the preset's caption list them (from the registry)."""
    return ", ".join(names(tuple(s for s in _model_rows(codebook) if s.key != "preset")))


def link_help(codebook: Codebook) -> str:
    """What a shared link holds, in words: every setting of the registry that travels in a link."""
    return (
        "The link holds every setting: "
        + listing(names(tuple(s for s in registry(codebook) if s.in_link)))
        + ", and the model and data versions it was made with."
    )


def _values(setting: Setting, codebook: Codebook) -> str:
    """The values column of the README's table for one setting."""
    signed = lambda v: f"{v:g}".replace("-", "−")  # noqa: E731
    if setting.kind in ("number", "integer"):
        return f"{signed(setting.low)}–{signed(setting.high)}"
    if setting.kind == "choice":
        return ", ".join(f"`{c}`" for c in setting.choices)
    if setting.kind == "year_range":
        return f"{int(setting.low)}–this year"
    if setting.kind == "categories":
        return "category keys"
    if setting.kind == "flag":
        return "`0` or `1`"
    if setting.kind == "event_id":
        return "an event id"
    return f"scores {signed(setting.low)}…{signed(setting.high)}, at most {MAX_OVERRIDES}"


def url_table(codebook: Codebook) -> str:
    """The README's table of the link's keys (section "The view in the URL"), rendered from the registry.

    ``tests/test_docs.py`` checks that the README holds exactly this between its ``url-table`` markers.
    """
    example_category, example_actor = codebook.category_keys[0], codebook.actor_keys[1]
    actors = ", ".join(f"`{a}`" for a in codebook.actor_keys)
    rows = [
        "| key | meaning | values |",
        "| --- | --- | --- |",
        "| `v` | model version the link was made with; a link from an older version opens with a notice of what "
        f"changed, its settings kept | `{codebook.model_version}` |",
        "| `dv` | data version the link was made with; a link made with other data opens with a notice naming both "
        "versions (CHANGELOG.md lists the revisions between them), its settings kept | "
        f"`{codebook.data_version}` |",
    ]
    grouped = {
        "weights": f"| `w_<category>` | a category weight, e.g. `w_{example_category}=2.5` |",
        "actors": f"| `a_<actor>` | an actor weight, e.g. `a_{example_actor}=0` (actors {actors}) |",
    }
    model = ", ".join(n for n in names(tuple(s for s in _model_rows(codebook) if s.key != "preset")))
    for setting in registry(codebook):
        if not setting.in_link:
            continue
        if setting.key.startswith(("w_", "a_")):
            start = grouped.pop(setting.group, None)
            if start is not None:
                rows.append(f"{start} {_values(setting, codebook)} |")
            continue
        if setting.key == "preset":
            doc = f"a preset's weights (`{CUSTOM}` once any model setting — {model} — differs from it)"
        else:
            doc = setting.doc or setting.label.lower()
        keys = ", ".join(f"`{k}`" for k in setting.url_keys)
        rows.append(f"| {keys} | {doc} | {_values(setting, codebook)} |")
    return "\n".join(rows)


def _distinct_presets(codebook: Codebook) -> tuple[str, ...]:
    """Presets whose model is not the defaults' (comparing with one would draw the same line twice)."""
    default = defaults(codebook)
    return tuple(k for k in codebook.presets if not _model_equal(model_of_preset(codebook, k), default, codebook))


def by_key(codebook: Codebook, this_year: int = YEAR_MAX) -> dict[str, Setting]:
    return {s.key: s for s in registry(codebook, this_year)}


def _codebook_model(codebook: Codebook) -> ViewState:
    return ViewState(
        weights=dict(codebook.default_weights),
        half_life_months=int(round(codebook.engine.half_life_months)),
        spread=codebook.engine.band_spread,
        intensity=codebook.engine.intensity,
        coder=codebook.adjudicated,
        preset=CUSTOM,  # :func:`defaults` names the preset it matches
        actor_weights=dict(codebook.default_actor_weights),
    )


def defaults(codebook: Codebook) -> ViewState:
    """The view a link with no settings shows: the codebook's defaults."""
    state = _codebook_model(codebook)
    return replace(state, preset=preset_matching(state, codebook))


def get(state: ViewState, setting: Setting) -> Any:
    """The setting's value in ``state`` (a year range as the pair (from, to))."""
    if setting.kind == "year_range":
        return (state.year_from, state.year_to)
    name, _, entry = setting.field.partition(".")
    value = getattr(state, name)
    return value.get(entry) if entry else value


def with_values(state: ViewState, values: Mapping[Setting, Any]) -> ViewState:
    """A copy of ``state`` with each setting's value replaced."""
    changes: dict[str, Any] = {}
    for setting, value in values.items():
        if setting.kind == "year_range":
            changes["year_from"], changes["year_to"] = value
            continue
        name, _, entry = setting.field.partition(".")
        if entry:
            mapping = dict(changes.get(name, getattr(state, name)))
            mapping[entry] = value
            changes[name] = mapping
        else:
            changes[name] = value
    return replace(state, **changes)


def model_of_preset(codebook: Codebook, preset: str) -> ViewState:
    """The defaults with a preset's weights: the whole model a preset stands for."""
    base = _codebook_model(codebook)
    if preset not in codebook.presets:
        return replace(base, preset=preset_matching(base, codebook))  # a model with no preset is the defaults
    return replace(base, weights=dict(codebook.presets[preset].weights), preset=preset)


def _model_equal(a: ViewState, b: ViewState, codebook: Codebook) -> bool:
    return all(_same(get(a, s), get(b, s)) for s in _model_rows(codebook) if s.key != "preset")


def _same(x: Any, y: Any) -> bool:
    if isinstance(x, (int, float)) and isinstance(y, (int, float)):
        return abs(float(x) - float(y)) < 1e-9
    return x == y


def preset_matching(state: ViewState, codebook: Codebook) -> str:
    """The preset whose whole model (weights, actor weights, half-life) ``state`` has, else "custom"."""
    for key in codebook.presets:
        if _model_equal(state, model_of_preset(codebook, key), codebook):
            return key
    return CUSTOM


def state_fields() -> tuple[str, ...]:
    return tuple(f.name for f in fields(ViewState))


def to_session(setting: Setting, value: Any, codebook: Codebook, this_year: int) -> Any:
    """A state value as its widget holds it in the session (a range slider needs both ends, a list not a tuple)."""
    if setting.kind == "year_range":
        year_from, year_to = value
        return (int(year_from), int(this_year if year_to is None else year_to))
    if setting.kind == "categories":
        return list(codebook.category_keys if value is None else value)
    if setting.kind == "overrides":
        return dict(value)
    if setting.kind == "number":
        return float(value)
    if setting.kind == "integer":
        return int(value)
    return value


def from_session(setting: Setting, value: Any, codebook: Codebook, this_year: int) -> Any:
    """A widget's session value as the state holds it (the inverse of :func:`to_session`)."""
    if setting.kind == "year_range":
        year_from, year_to = value
        return (int(year_from), None if int(year_to) >= this_year else int(year_to))
    if setting.kind == "categories":
        shown = tuple(c for c in codebook.category_keys if c in value)
        return None if len(shown) == len(codebook.category_keys) else shown
    if setting.kind == "overrides":
        return dict(value or {})
    if setting.kind == "number":
        return round(float(value), setting.decimals)
    if setting.kind == "integer":
        return int(value)
    if setting.kind == "flag":
        return bool(value)
    return value


def years_to_show(shown: tuple[int, int], year: int, this_year: int) -> tuple[int, int] | None:
    """The years shown widened to take in ``year``, within what the years control allows (1949 to this year).

    None when nothing would change: the year is shown already, or it lies outside the chart's years and its
    nearest drawable year is shown (an event of 1947 is drawn from April 1949 on; a mistyped 2062 is not drawn).
    Every control that sets the years goes through this, so none can write past the control's bounds.
    """
    clamp = lambda v: min(max(int(v), YEAR_MIN), int(this_year))  # noqa: E731
    low, high = clamp(shown[0]), clamp(shown[1])
    widened = (min(low, clamp(year)), max(high, clamp(year)))
    return None if widened == tuple(shown) else widened


if (
    __name__ == "__main__"
):  # python -m components.settings --url-table: the README's table, to paste between its markers
    import sys

    from components.codebook import load_codebook

    if sys.argv[1:] != ["--url-table"]:
        sys.exit("usage: python -m components.settings --url-table")
    print(url_table(load_codebook()))
