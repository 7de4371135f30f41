"""What a page says about a view: the headline, the chips, the chart's titles and source line, the robustness
line in words, the citations and the embed snippet, the text alternative, the events file's columns.

Every sentence a page prints about a view is made here from numbers :mod:`components.view` computed, so that
the words are tested outside Streamlit like the numbers are. (:mod:`components.text` is the other kind of text
module: rules for making a user's text safe to show, which know nothing of views.)
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

import pandas as pd

from components import settings
from components.codebook import Codebook
from components.dataset import data_end
from components.robustness import SATURATION, SATURATION_SHARE, Robustness, range_check
from components.view import View, comparison_labels, held_from, shown_months


@dataclass(frozen=True)
class Headline:
    """The value the headline metric shows: the last month of the years shown."""

    month: pd.Timestamp
    value: float
    change_12m: float | None  # value − the value twelve months earlier, when that month is in the series
    level: str  # the named level of the scale holding the value
    band: tuple[float, float] | None  # the uncertainty range in that month
    data_end: pd.Timestamp | None = None  # where the data in use end (``dataset.data_end``)
    carried_forward: bool = False  # the month shown is after the data end's month: no news, the value held
    ends_on_event: bool = True  # the data end on an event's date (not on a state's end_date after it)


def headline(view: View, codebook: Codebook) -> Headline:
    shown = shown_months(view)
    t = int(shown[-1]) if len(shown) else len(view.series.months) - 1
    value = float(view.series.index[t])
    change = value - float(view.series.index[t - 12]) if t >= 12 else None
    band = (float(view.band.low[t]), float(view.band.high[t])) if view.band is not None else None
    end = data_end(view.events)
    position = held_from(view.events, view.series.months)
    carried = position is not None and t > position
    on_event = end is not None and bool((view.events.loc[view.events["included"], "date"] == end).any())
    return Headline(view.series.months[t], value, change, codebook.band_of(value), band, end, carried, on_event)


def data_end_label(head: Headline) -> str:
    """What the chart's note calls the date the data end on: "last coded event", or "coded until" (a state's
    end_date after the last event, which an upload may have)."""
    return "last coded event" if head.ends_on_event else "coded until"


def data_end_note(head: Headline, codebook: Codebook) -> str | None:
    """The line under the headline that says where the data end, and that the months after carry the value."""
    if head.data_end is None:
        return None
    carried = " — the months after it carry its value forward; they are not news." if head.carried_forward else ""
    sources = codebook.sources_end_label
    found = f" The latest stored report the data's sweep found is of {sources}." if sources else ""
    end = f"{head.data_end:%d %B %Y}"
    said = f"Last event coded: {end}" if head.ends_on_event else f"Coded until: {end} (a state's end date)"
    return f"{said}{carried}{found}"


@dataclass(frozen=True)
class Chip:
    """One setting that differs from the codebook's defaults, as the row above the chart names it."""

    keys: tuple[str, ...]  # the settings a reset of this chip restores
    text: str


def chips(view: View, codebook: Codebook, uploaded: bool = False, edited: int = 0) -> list[Chip]:
    """Every non-default setting of the model and the data, in words ("Moscow × 0", "half-life 36 months")."""
    state, base = view.state, settings.defaults(codebook)
    key = {s.field: s.key for s in settings.registry(codebook)}  # a chip resets the setting of this field
    out: list[Chip] = []
    if state.preset not in (base.preset, settings.CUSTOM):
        out.append(Chip((key["preset"],), f"{codebook.presets[state.preset].label} weights"))
    for name, cat in codebook.categories.items():
        reference = codebook.presets[state.preset].weights[name] if state.preset in codebook.presets else cat.weight
        if abs(state.weights[name] - reference) > 1e-9:
            out.append(Chip((key[f"weights.{name}"],), f"{cat.label} × {state.weights[name]:g}"))
    for name, actor in codebook.actors.items():
        if abs(state.actor_weights.get(name, 1.0) - 1.0) > 1e-9:
            out.append(Chip((key[f"actor_weights.{name}"],), f"{actor.label} × {state.actor_weights[name]:g}"))
    if state.half_life_months != base.half_life_months:
        out.append(Chip((key["half_life_months"],), f"half-life {state.half_life_months} months"))
    if abs(state.intensity - base.intensity) > 1e-9:
        out.append(Chip((key["intensity"],), f"large events p {state.intensity:g}"))
    if state.coder != base.coder:
        out.append(Chip((key["coder"],), dict(codebook.coder_choices)[state.coder]))
    if abs(state.spread - base.spread) > 1e-9:
        text = "no uncertainty range" if state.spread == 0 else f"range σ {state.spread:g}"
        out.append(Chip((key["spread"],), text))
    if state.overrides:
        n = len(state.overrides)
        out.append(Chip((key["overrides"],), f"{n} event{'s' if n != 1 else ''} rescored"))
    if uploaded:
        out.append(Chip(("upload",), "your uploaded data"))
    if edited:
        out.append(Chip(("edits",), f"{edited} event{'s' if edited != 1 else ''} edited"))
    return out


def robustness_sentences(result: Robustness, scale_max: float) -> tuple[list[str], list[str]]:
    """The robustness line in words: (statements, warnings); ``scale_max``: the codebook's (half the scale)."""
    said, warned = [], []
    if result.sign_agreement is not None:
        said.append(
            f"{result.sign_agreement:.0%} of the range's draws agree with the line on the sign of the last month shown"
        )
    if result.era_order_agreement is not None:
        said.append(f"{result.era_order_agreement:.0%} rank the eras' means in the same order")
    if len(result.largest_gaps) and abs(result.largest_gaps["difference"].iloc[0]) > 0.05:
        top = result.largest_gaps.iloc[0]
        said.append(f"your line differs most from the defaults in {top['month']:%B %Y} ({top['difference']:+.1f})")
    if result.saturated_share > SATURATION_SHARE:
        warned.append(
            f"{result.saturated_share:.0%} of the months shown sit beyond ±{SATURATION:g}: the line is "
            "pinned at the end of the scale there, so differences between them are not visible"
        )
    if result.band_span is not None and result.band_span > scale_max:
        warned.append(
            f"the uncertainty range spans up to {result.band_span:.1f} points, more than half the scale: "
            "the weights chosen decide the story more than the events do"
        )
    return said, warned


def range_warnings(view: View, codebook: Codebook) -> list[str]:
    """The cheap part of the robustness line, always shown: saturation and a band wider than half the scale."""
    return robustness_sentences(range_check(view), codebook.scale_max)[1]


def scale_text(codebook: Codebook) -> str:
    """What the y-axis means, short enough for a phone: "−10 war … +10 alliance" (the end anchors' first words)."""
    (low, high), (low_word, high_word) = codebook.scale_ends, codebook.scale_end_words
    return f"{low} {low_word} … {high} {high_word}"


def chart_title(view: View, codebook: Codebook, compact: bool = False) -> tuple[str, str]:
    """The chart's title and subtitle, following the view: years, lens or custom weights, coding, versions.

    ``compact``: a phone, where the chart's toolbar sits at the title's right end; the title is shorter there.
    """
    state = view.state
    last = state.year_to if state.year_to is not None else int(view.series.months[-1].year)
    title = f"NATO–Moscow {'index' if compact else 'relations index'}, {state.year_from}–{last}"
    lens = codebook.presets[state.preset].label if state.preset in codebook.presets else "custom weights"
    parts = [scale_text(codebook), lens]
    if state.coder != codebook.adjudicated:
        parts.append(dict(codebook.coder_choices)[state.coder])
    if state.compare != "none":
        parts.append(f"compared with {comparison_labels(codebook)[state.compare]}")
    parts.append(f"model v{view.model_version}, data {codebook.data_version}")
    return title, " · ".join(parts)


def source_line(view: View, codebook: Codebook, link: str) -> str:
    """The line under the chart (and in its exported image) that says where it comes from."""
    return (
        f"Data: NATO–Russia Relations Index, model v{view.model_version}, data {codebook.data_version}; "
        f"hand-scored events, {len(view.events)} in use. View: {link}"
    )


AUTHOR = "NATO–Russia Relations Index project"  # who a citation names: the project, not a person


def citations(view: View, codebook: Codebook, link: str, day: dt.date) -> dict[str, str]:
    """The view as a reference, three ways: plain text, APA style and BibTeX. Each names the project as author,
    the year, the model and data versions and the day once, and carries the view's link (in BibTeX with its %
    and # escaped)."""
    versions = f"model version {view.model_version}, data version {codebook.data_version}"
    title = "NATO–Russia Relations Index"
    long_day = f"{day.day} {day:%B %Y}"
    tex_link = link.replace("\\", "").replace("%", "\\%").replace("#", "\\#").replace("{", "").replace("}", "")
    return {
        "Plain text": f"{AUTHOR} ({day.year}). {title} ({versions}), a view taken on {long_day}: {link}",
        "APA": f"{AUTHOR}. ({day.year}). {title} [Data set and interactive view; {versions}]. "
        f"Retrieved {long_day}, from {link}",
        "BibTeX": (
            f"@misc{{nato_russia_index_{day:%Y%m%d},\n"
            f"  author = {{{{NATO--Russia Relations Index project}}}},\n"
            f"  title = {{{{NATO--Russia Relations Index}}: a view}},\n"
            f"  year = {{{day.year}}},\n"
            f"  note = {{{versions.capitalize()}}},\n"
            f"  howpublished = {{\\url{{{tex_link}}}}},\n"
            f"  urldate = {{{day:%Y-%m-%d}}}\n"
            "}"
        ),
    }


def embed_snippet(link: str, height: int = 720) -> str:
    """HTML that embeds the view in a course page or an article: Streamlit's ``embed=true`` view of the link,
    in an iframe, every attribute escaped."""
    separator = "&" if "?" in link else "?"
    source = html.escape(f"{link}{separator}embed=true", quote=True)
    return (
        f'<iframe src="{source}" title="NATO–Russia Relations Index" width="100%" height="{int(height)}" '
        'style="border:0" loading="lazy"></iframe>'
    )


def describe(view: View, codebook: Codebook) -> str:
    """A text description of the chart for screen readers, following the view."""
    head = headline(view, codebook)
    title, subtitle = chart_title(view, codebook)
    change = "" if head.change_12m is None else f", {head.change_12m:+.1f} over the previous twelve months"
    (low_end, high_end), (low_word, high_word) = codebook.scale_ends, codebook.scale_end_words
    shown = shown_months(view)
    low, high = (
        (int(view.series.index[shown].argmin()), int(view.series.index[shown].argmax())) if len(shown) else (0, 0)
    )
    months = view.series.months[shown] if len(shown) else view.series.months
    return (
        f"{title} ({subtitle}). Line chart of the monthly index from {low_end} ({low_word}) to {high_end} "
        f"({high_word}), with a marker "
        f"for each event. In {head.month:%B %Y} the index is {head.value:+.1f}, level {head.level}{change}. "
        f"Lowest month shown: {months[low]:%B %Y}; highest: {months[high]:%B %Y}. "
        "The Events page lists the same events as a table; the monthly values are under the chart."
    )


def file_format(codebook: Codebook) -> list[tuple[str, str, str, str]]:
    """The events file's columns for the Methodology page: name, required, meaning, default."""
    from components.events import COLUMNS, DATE_YEARS, REQUIRED_COLUMNS, optional_defaults, or_list

    meaning = {
        "id": "letters, digits, '-', '_' or '.', unique",
        "date": f"YYYY-MM-DD, or YYYY-MM when only the month is known ({DATE_YEARS[0]}–{DATE_YEARS[1]})",
        "date_precision": "day or month",
        "end_date": "for a state: the day it ended (empty while it lasts)",
        "title": "a headline, at most 200 characters",
        "summary": "what happened, in your words",
        "category": ", ".join(codebook.category_keys),
        "score": f"{codebook.scale_min} to {codebook.scale_max}",
        "persistence": or_list(codebook.persistence.kinds),
        "actor": ", ".join(codebook.actor_keys),
        "rationale": "which anchor of the scale it was compared with",
        "source_title": "the title of the page read",
        "source_url": "http(s) address of the page read",
        "in_article": "true or false",
        "confidence": or_list(codebook.confidence_levels),
        "weight": "the event's own weight, 0 to 10",
        "included": "true or false: false leaves it out",
        "ends": "ids of the state or structural events this row ends, separated by spaces",
        "suspends": "on a state: ids of the standing events it switches off while it stands (a suspension)",
        "conflict": "on a state: a group name; of a group's states standing at once only the strongest counts",
        "aliases": "search words not in the title, separated by ';'",
    }
    defaults = optional_defaults(codebook)
    return [(c, "yes" if c in REQUIRED_COLUMNS else "", meaning.get(c, ""), defaults.get(c, "")) for c in COLUMNS]
