"""The main chart split for the chart component: the static part a weight step leaves alone, the step's part."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from components import chart_parts, figure, wording
from components import view as view_module
from tests.conftest import plotly_array, view_of


def spec(dataset, query: str, selected: str | None = None, dark: bool = False, in_browser: bool = False):  # noqa: D103
    """What the dashboard draws for a link: the figure's traces and layout, its options as the page sets them."""
    view = view_of(dataset, query)
    codebook = dataset.codebook
    title, subtitle = wording.chart_title(view, codebook)
    options = figure.FigureOptions(
        dark=dark,
        date_range=(pd.Timestamp(f"{view.state.year_from}-01-01"), view.series.months[-1]),
        selected_id=selected,
        comparison_label=view_module.comparison_legend_labels(codebook)[view.state.compare],
        data_end=pd.Timestamp("2026-03-09"),
        source="Data: the index · View: https://example.org/?" + query,
        height=None,
        title=title,
        subtitle=subtitle,
    )
    args = (view.series, view.events, codebook.categories, options)
    kwargs = dict(
        band=view.band,
        comparison=view.comparison,
        eras=dataset.eras,
        scale_bands=codebook.bands,
    )
    text = view_module.line_hover(view, codebook)
    built = figure.build_figure(*args, **kwargs, line_hover=text)
    if in_browser:  # as the dashboard sends it: the line's hover text in parts, written in the page
        hover = view_module.line_hover_parts(view, codebook)
        return figure.figure_spec(*args, **kwargs, line_hover=figure.IN_BROWSER), built, hover
    return figure.figure_spec(*args, **kwargs, line_hover=text), built


@pytest.mark.parametrize("query, selected", [("", None), ("w_military=2&cmp=default", "e0001")])
def test_the_two_parts_join_into_build_figures_figure(dataset, query, selected):
    selected = selected and str(dataset.events["id"].iloc[40])
    (traces, layout), built = spec(dataset, query, selected)
    parts = chart_parts.split_figure(traces, layout)
    joined = go.Figure(*chart_parts.join_figure(parts), _validate=False)
    assert pio.to_json(joined) == pio.to_json(built)
    if selected:
        assert [a["name"] for a in parts.selected] == [chart_parts.SELECTED]


def test_a_weight_step_changes_only_the_steps_part(dataset):
    (before, before_layout), _ = spec(
        dataset, "w_military=1.1&cmp=default", selected=str(dataset.events["id"].iloc[40])
    )
    (after, after_layout), _ = spec(dataset, "w_military=1.2&cmp=default", selected=str(dataset.events["id"].iloc[40]))
    one, two = chart_parts.split_figure(before, before_layout), chart_parts.split_figure(after, after_layout)
    # The static part, and so its version, is the same: the component is sent nothing of it.
    assert chart_parts.static_json(one, dark=False) == chart_parts.static_json(two, dark=False)
    assert chart_parts.static_version(one, dark=False) == chart_parts.static_version(two, dark=False)
    # The step's part moves: the index line, the band, the markers on the line, the label and the subtitle's link.
    names = {i: before[i]["name"] for i in one.moving}
    moved = {names[i] for i in one.moving if not np.array_equal(one.moving[i]["y"], two.moving[i]["y"])}
    assert {"band_high", "Events", "Your weights"} <= moved, moved
    (line,) = (i for i in one.moving if names[i] == "Your weights")
    assert not np.array_equal(one.moving[line]["hovertext"], two.moving[line]["hovertext"])  # it says the value
    assert one.subtitle != two.subtitle
    assert one.selected[0]["y"] != two.selected[0]["y"]
    # Only the moving traces' y is left out of the static part; a legend key's missing point stays.
    assert all(t["y"] is None for i, t in enumerate(one.traces) if i in one.moving)
    assert all(t["y"] is not None for i, t in enumerate(one.traces) if i not in one.moving)
    assert one.traces[line]["hovertext"] is None


def test_the_static_part_changes_with_what_it_draws(dataset):
    def version_and_layout(query: str, dark: bool = False, selected: str | None = None):
        (traces, layout), _ = spec(dataset, query, selected=selected, dark=dark)
        parts = chart_parts.split_figure(traces, layout)
        return chart_parts.static_version(parts, dark), json.loads(chart_parts.static_json(parts, dark))["layout"]

    light, light_layout = version_and_layout("")
    dark, dark_layout = version_and_layout("", dark=True)
    from_1990, _ = version_and_layout("from=1990")
    selected, _ = version_and_layout("", selected=str(dataset.events["id"].iloc[40]))  # the ring is the marker's
    assert len({light, dark, from_1990, selected}) == 4
    assert version_and_layout("")[0] == light  # and the same again for the same figure
    # In the page's look: Streamlit's chart theme for the page's scheme, and a bold title.
    assert light_layout["template"]["layout"]["paper_bgcolor"] == "#FFFFFF"
    assert dark_layout["template"]["layout"]["paper_bgcolor"] == figure.PAPER_DARK
    assert light_layout["title"]["text"].startswith("<b>") and light_layout["title"]["text"].endswith("</b>")


def test_the_steps_json_carries_each_moving_y_exactly(dataset):
    (traces, layout), _ = spec(dataset, "w_diplomacy=2")
    parts = chart_parts.split_figure(traces, layout)
    sent = json.loads(chart_parts.step_json(parts))
    assert sent["traces"] == list(parts.moving)
    for i, moves in zip(sent["traces"], sent["data"]):
        np.testing.assert_array_equal(plotly_array(moves["y"]), parts.moving[i]["y"])
        assert moves.keys() == parts.moving[i].keys()
    assert sent["subtitle"] == parts.subtitle


@pytest.mark.parametrize("query", ["", "w_military=2&cmp=default", "to=2026&hl=30"])
def test_the_line_hover_in_parts_joins_into_the_same_figure(dataset, query):
    """The dashboard sends the line's hover text in parts; joined again (the text LineHover.text writes, which
    the page writes too: tests/e2e/test_chart_component.py), the figure is build_figure's with the text."""
    (traces, layout), built, hover = spec(dataset, query, in_browser=True)
    parts = chart_parts.split_figure(traces, layout, hover)
    line = parts.hover_traces["line"]
    assert "hovertext" not in traces[line] and "hovertext" not in parts.moving[line]
    joined = go.Figure(*chart_parts.join_figure(parts), _validate=False)
    assert pio.to_json(joined) == pio.to_json(built)


def test_a_step_sends_each_months_heaviest_event_not_the_hover_text(dataset):
    (before, before_layout), _, hover_before = spec(dataset, "w_military=1.1", in_browser=True)
    (after, after_layout), _, hover_after = spec(dataset, "w_military=1.2", in_browser=True)
    one = chart_parts.split_figure(before, before_layout, hover_before)
    two = chart_parts.split_figure(after, after_layout, hover_after)
    # The months, levels and titles are static: the same version for both steps.
    assert chart_parts.static_version(one, dark=False) == chart_parts.static_version(two, dark=False)
    static = json.loads(chart_parts.static_json(one, dark=False))["hover"]
    assert static["titles"][:3] == list(hover_before.titles[:3]) and len(static["labels"]) == len(hover_before.rows)
    sent = json.loads(chart_parts.step_json(two))
    np.testing.assert_array_equal(plotly_array(sent["hover"]["rows"]), hover_after.rows)
    np.testing.assert_array_equal(plotly_array(sent["hover"]["terms"]), hover_after.terms)
    with_text = chart_parts.step_json(chart_parts.split_figure(*spec(dataset, "w_military=1.2")[0]))
    # What a step sends: under a third of what it sent with the text (57 against 190 KB of JSON).
    assert len(chart_parts.step_json(two)) * 3 < len(with_text)
