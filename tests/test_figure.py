"""The chart, built from small synthetic frames: traces, markers, hover text."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from components import engine, figure
from components.codebook import Band, load_codebook
from tests.conftest import make_events, plotly_array

CODEBOOK = load_codebook()
CATS = CODEBOOK.category_keys
LABELS = CODEBOOK.categories
MONTHS = engine.month_range(pd.Timestamp("1949-04-01"), pd.Timestamp("1960-12-01"))


def build(events, **kwargs):
    params = engine.Params.from_codebook(CODEBOOK, category_weights={c: 1.0 for c in CATS})
    comp = engine.components(events, params, CATS, MONTHS)
    series = engine.index_from_components(comp, params)
    band = engine.sensitivity_band(comp, params, 0.3, 20, (10.0, 90.0)) if kwargs.pop("band", False) else None
    return series, figure.build_figure(series, events, LABELS, band=band, **kwargs)


def marker_traces(fig: go.Figure):
    """The traces that draw events (one: every event's marker), not the legend's empty entries."""
    return [t for t in fig.data if t.mode == "markers" and t.customdata is not None]


def legend_entries(fig: go.Figure):
    return [t for t in fig.data if t.mode == "markers" and t.customdata is None]


def test_one_marker_per_event_on_the_line():
    events = make_events(
        {"date": "1950-01-15", "score": 5, "category": "diplomacy"},
        {"date": "1952-06-01", "score": -4, "category": "military"},
        {"date": "1955-05-06", "score": -3, "category": "enlargement", "in_article": True},
    )
    series, fig = build(events)
    markers = marker_traces(fig)
    assert len(markers) == 1 and len(markers[0].x) == 3
    ids = [i for t in markers for i in t.customdata]
    assert sorted(ids) == sorted(events["id"])
    # each marker sits on the line: at a month start the line's own value
    on_month = make_events({"date": "1950-01-01", "score": 5})
    series, fig = build(on_month)
    assert marker_traces(fig)[0].y[0] == series.index[MONTHS.get_loc(pd.Timestamp("1950-01-01"))]


def test_article_events_get_their_own_symbol_and_legend_entry():
    events = make_events(
        {"id": "plain", "date": "1950-01-15", "category": "diplomacy"},
        {"id": "named", "date": "1951-01-15", "category": "diplomacy", "in_article": True},
    )
    _, fig = build(events)
    article = next(t for t in legend_entries(fig) if "In the article" in t.name)
    assert article.marker.symbol == figure.ARTICLE_SYMBOL
    (trace,) = marker_traces(fig)
    symbols = dict(zip(trace.customdata, trace.marker.symbol))
    assert symbols["named"] == figure.ARTICLE_SYMBOL != symbols["plain"]
    assert list(trace.customdata)[-1] == "named"  # drawn last, on top


def test_categories_have_distinct_colours_and_symbols():
    events = make_events(*({"date": f"19{50 + i}-01-15", "category": c} for i, c in enumerate(CATS)))
    _, fig = build(events)
    entries = legend_entries(fig)
    assert [t.name for t in entries] == [html.escape(LABELS[c].label) for c in CATS]
    assert len({t.marker.color for t in entries}) == len({t.marker.symbol for t in entries}) == len(CATS)
    # every marker takes its own category's colour and symbol, whatever the order of the trace
    (trace,) = marker_traces(fig)
    category = dict(zip(events["id"], events["category"]))
    for event_id, colour, symbol in zip(trace.customdata, trace.marker.color, trace.marker.symbol):
        assert (colour, symbol) == (LABELS[category[event_id]].colour, LABELS[category[event_id]].symbol)


def test_hover_shows_date_title_score_category_and_escapes_html():
    events = make_events(
        {
            "date": "1955-07-18",
            "score": 2,
            "category": "diplomacy",
            "title": "<img src=x onerror=alert(1)> Geneva summit",
        }
    )
    _, fig = build(events)
    text = marker_traces(fig)[0].hovertext[0]
    assert "18 Jul 1955" in text and "Diplomacy" in text and "score +2" in text
    assert "<img" not in text and "&lt;img" in text


def test_band_zero_line_titles_and_scale_bands():
    events = make_events({"date": "1950-01-15", "score": 5})
    bands = (Band("Tension", -6, -2), Band("Cool", -2, 2))
    _, fig = build(events, band=True, scale_bands=bands)
    assert any(t.fill == "tonexty" for t in fig.data)
    assert "cooperation index" in fig.layout.title.text.lower()
    # The x-axis is dated (its years say what it is; its title went so the whole chart fits a 1280×720 screen);
    # the y-axis's meaning is in the subtitle (view.scale_text).
    assert fig.layout.xaxis.type == "date" and not fig.layout.xaxis.title.text
    assert any(s.y0 == 0 and s.y1 == 0 for s in fig.layout.shapes)  # the zero line
    # Each level named on its band, beneath the line and the markers (never over an event).
    named = {s.label.text: s.layer for s in fig.layout.shapes if s.label and s.label.text}
    assert named == {"Tension": "below", "Cool": "below"}
    assert fig.layout.uirevision  # zoom survives reruns


def test_selected_event_is_highlighted():
    events = make_events({"id": "a", "date": "1950-01-15"}, {"id": "b", "date": "1951-01-15"})
    _, fig = build(events, options=figure.FigureOptions(selected_id="b"))
    trace = marker_traces(fig)[0]
    widths = dict(zip(trace.customdata, trace.marker.line.width))
    assert widths["b"] > widths["a"]


def test_empty_events_still_draw_the_line():
    _, fig = build(make_events())
    assert not marker_traces(fig) and not legend_entries(fig)
    assert any(t.mode == "lines" and t.name == "Index" for t in fig.data)


def test_comparison_is_drawn_and_the_gap_shaded():
    events = make_events({"date": "1950-01-15", "score": 5, "category": "military"})
    params = engine.Params.from_codebook(CODEBOOK, category_weights={c: 1.0 for c in CATS})
    other = engine.Params.from_codebook(CODEBOOK, category_weights={c: 2.0 for c in CATS})
    series = engine.monthly_index(events, params, CATS, MONTHS)
    comparison = engine.monthly_index(events, other, CATS, MONTHS)
    fig = figure.build_figure(
        series, events, LABELS, figure.FigureOptions(comparison_label="Security lens"), comparison=comparison
    )
    lines = [t for t in fig.data if t.mode == "lines"]
    assert [t.name for t in lines] == ["Security lens", "Your weights"]
    assert lines[1].fill == "tonexty"


def test_a_new_year_range_resets_the_zoom_but_weights_do_not():
    events = make_events({"date": "1950-01-15"})
    _, a = build(
        events, options=figure.FigureOptions(date_range=(pd.Timestamp("1950-01-01"), pd.Timestamp("1955-12-31")))
    )
    _, b = build(
        events.assign(score=-5.0),
        options=figure.FigureOptions(date_range=(pd.Timestamp("1950-01-01"), pd.Timestamp("1955-12-31"))),
    )
    _, c = build(
        events, options=figure.FigureOptions(date_range=(pd.Timestamp("1952-01-01"), pd.Timestamp("1955-12-31")))
    )
    assert a.layout.uirevision == b.layout.uirevision != c.layout.uirevision


def test_markers_take_single_values_until_one_is_selected():
    events = make_events({"id": "a", "date": "1950-01-15"}, {"id": "b", "date": "1951-01-15"})
    _, fig = build(events)
    trace = marker_traces(fig)[0]
    # one size and one outline for the whole trace: plotly then styles the points as a group
    assert trace.marker.size == 10 and trace.marker.line.width == 0.8
    assert trace.marker.opacity == 0.7  # what plotly gave markers when sizes came as a list
    assert list(trace.x) == ["1950-01-15", "1951-01-15"]  # day text, not full timestamps
    _, fig = build(events, options=figure.FigureOptions(selected_id="a"))
    trace = marker_traces(fig)[0]
    assert dict(zip(trace.customdata, trace.marker.size)) == {"a": 16, "b": 10}
    assert trace.marker.opacity == 0.7


def test_line_dates_are_milliseconds_a_date_axis_reads_as_they_are():
    series, fig = build(make_events({"date": "1950-01-15"}), band=True)
    line = next(t for t in fig.data if t.name == "Index")
    assert line.x[0] == pd.Timestamp("1949-04-01").value / 1e6
    assert fig.layout.xaxis.type == "date"
    assert all(len(t.x) == len(series.index) for t in fig.data if t.mode == "lines")


def test_the_legend_sits_under_the_plot_so_the_plot_takes_the_width():
    few = make_events({"date": "1950-01-15", "category": "diplomacy"})
    many = make_events(*({"date": f"19{50 + i}-01-15", "category": c} for i, c in enumerate(CATS)))
    _, small = build(few, band=True)
    _, large = build(many, band=True)
    assert small.layout.margin == large.layout.margin
    assert large.layout.legend.orientation == "h"
    # under the plot, in a grid of whole rows: the margin reserved for it does not depend on the width
    assert (large.layout.legend.yref, large.layout.legend.y, large.layout.legend.yanchor) == ("container", 0, "bottom")
    per_row = int(1 / large.layout.legend.entrywidth)
    assert large.layout.legend.entrywidthmode == "fraction" and per_row == figure.LEGEND_PER_ROW
    rows = -(-(len(CATS) + 4) // per_row)
    assert large.layout.margin.b >= figure.AXIS_BOTTOM + rows * figure.LEGEND_ROW
    assert large.layout.margin.r <= 20
    # labels readable from the back row: at least 13 px
    assert large.layout.legend.font.size >= 13
    assert all(a.font.size >= 13 for a in large.layout.annotations)
    # Streamlit's point selection sets these in the browser unless the figure does
    assert (large.layout.clickmode, large.layout.dragmode) == ("event+select", "pan")


def test_an_exported_image_is_opaque_and_carries_its_source():
    events = make_events({"date": "1950-01-15"})
    for dark in (False, True):
        _, fig = build(events, options=figure.FigureOptions(dark=dark, source="Data: test · view link"))
        assert fig.layout.paper_bgcolor in (figure.PAPER_LIGHT, figure.PAPER_DARK)
        assert fig.layout.paper_bgcolor == (figure.PAPER_DARK if dark else figure.PAPER_LIGHT)
        assert "Data: test · view link" in fig.layout.title.subtitle.text


def test_the_selected_event_is_named_on_the_chart():
    events = make_events(
        {"id": "a", "date": "1950-01-15", "title": "A quiet <b>note</b>"},
        {"id": "b", "date": "1951-01-15", "title": "x" * 60},
    )
    _, plain = build(events)
    assert not [a for a in plain.layout.annotations if a.name == "selected"]
    for chosen, expected in (("a", "A quiet &lt;b&gt;note&lt;/b&gt;"), ("b", "x" * 39 + "…")):
        _, fig = build(events, options=figure.FigureOptions(selected_id=chosen))
        (label,) = [a for a in fig.layout.annotations if a.name == "selected"]
        assert label.text == expected and label.showarrow
        assert label.x == ("1950-01-15" if chosen == "a" else "1951-01-15")


def test_the_panel_figure_draws_the_yearly_panel_and_the_index_as_given(dataset):
    from components import panel

    targets = panel.target(panel.load_panel(dataset.codebook))
    months = pd.date_range("1949-04-01", "2026-11-01", freq="MS")
    index = pd.Series(np.linspace(-5, 5, len(months)), index=months)
    compared = panel.comparison(index, targets)
    fig = figure.panel_figure(compared).to_plotly_json()
    by_name = {t["name"]: t for t in fig["data"]}
    years = compared[compared["period"].str.len() == 4]
    np.testing.assert_allclose(plotly_array(by_name["Panel median (blind)"]["y"]), years["median"])
    np.testing.assert_allclose(plotly_array(by_name["Index, yearly mean (your settings)"]["y"]), years["index"])
    assert len(years) == 78  # 1949–2026, crisis months left to the table


def test_the_chart_says_where_the_sources_end_beside_the_last_coded_event(dataset):
    from components import url_state
    from components import view as view_module

    state, _ = url_state.decode("", dataset.codebook, today_year=2026)
    view = view_module.compute(dataset, state)
    fig = figure.build_figure(
        view.series,
        view.events,
        dataset.codebook.categories,
        figure.FigureOptions(data_end=pd.Timestamp("2026-03-09"), sources_end="May 2026"),
    ).to_plotly_json()
    texts = [a.get("text", "") for a in fig["layout"]["annotations"]]
    assert any("last coded event Mar 2026" in t and "latest source found May 2026" in t for t in texts)
    shaded = [s for s in fig["layout"]["shapes"] if s.get("fillcolor") == "rgba(128,128,128,0.18)"]
    assert [pd.Timestamp(s["x0"]) for s in shaded] == [pd.Timestamp("2026-03-09")]  # shaded from the data end
    state_end = figure.FigureOptions(data_end=pd.Timestamp("2026-03-09"), data_end_label="coded until")
    fig = figure.build_figure(view.series, view.events, dataset.codebook.categories, state_end).to_plotly_json()
    assert any(a.get("text", "").startswith("coded until Mar 2026") for a in fig["layout"]["annotations"])


def test_the_bands_legend_names_the_percentiles_it_draws(dataset):
    """Issue 25: the legend said 'Uncertainty 10–90%' whatever percentiles the band spans."""
    months = engine.month_range(pd.Timestamp("1949-04-01"), pd.Timestamp("1950-12-01"))
    series = engine.IndexSeries(months, np.zeros(len(months)), np.zeros(len(months)))
    for low, high in ((10.0, 90.0), (5.0, 95.0)):
        band = engine.Band(np.zeros(len(months)) - 1, np.zeros(len(months)) + 1, 200, 0.3, (low, high))
        fig = figure.build_figure(series, dataset.events.iloc[0:0], dataset.codebook.categories, band=band)
        names = [t.name for t in fig.data]
        assert f"Uncertainty {low:g}–{high:g}%" in names


def test_the_decomposition_chart_has_a_bar_a_category_signed_by_colour(dataset):
    from components import engine

    params = engine.Params.from_codebook(dataset.codebook)
    months = engine.series_months(dataset.events)
    result = engine.decompose(
        dataset.events, params, dataset.codebook.category_keys, months, pd.Timestamp("1962-10-01")
    )
    fig = figure.decomposition_figure(result.by_category, result.month)
    (bar,) = fig.data
    np.testing.assert_allclose(plotly_array(bar.x), result.by_category["total"].to_numpy())
    assert list(bar.y) == list(result.by_category["category"])
    colours = dict(zip(bar.y, bar.marker.color, strict=True))
    assert colours["military"] == "#D55E00"  # the Cuban crisis: conflict
    assert "October 1962" in fig.layout.title.text


@pytest.mark.parametrize("compact", (False, True))
@pytest.mark.parametrize("source", ("", "Data: the index. View: https://example.org/?v=4"))
def test_the_layout_keeps_the_margins_the_performance_work_depends_on(compact, source):
    """The contract of :func:`figure.layout`: margins that already hold the tick labels, the title block
    and a legend with a row for every entry the chart can have, so plotly never widens one after drawing
    (and draws the chart twice). Numbers written out, not read back from the module's constants."""
    options = figure.FigureOptions(compact=compact, source=source, height=None)
    out = figure.layout(options, figure.theme(False), 6, [], [])
    per_row = 2 if compact else 5
    rows = -(-(6 + 4) // per_row)  # band, comparison, index, article + six categories
    assert out["margin"] == {
        "l": 30 if compact else 44,
        "r": 8 if compact else 16,
        "t": (70 if compact else 120) + (36 if source else 0),
        "b": 40 + rows * 21 + 12,
    }
    assert "height" not in out  # the page's frame decides (st.plotly_chart height="stretch")
    assert out["legend"]["entrywidth"] == pytest.approx(1 / per_row - 0.001)
    assert out["clickmode"] == "event+select" and out["dragmode"] == "pan"
    assert out["yaxis"]["range"] == [-10.5, 10.5]
    assert figure.layout(figure.FigureOptions(height=520), figure.theme(True), 6, [], [])["height"] == 520


def _contrast(foreground: str, background: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("dark", (False, True))
def test_one_theme_gives_every_part_its_colours(dark, dataset):
    colours = figure.theme(dark)
    assert colours.paper == ("#171614" if dark else "#FFFFFF")  # Streamlit 1.67's page colours
    assert _contrast(colours.label_ink, colours.paper) >= 7 and _contrast(colours.ink, colours.paper) >= 7
    red, green, blue = (int(colours.paper[i : i + 2], 16) for i in (1, 3, 5))
    assert colours.veil(0.7) == f"rgba({red},{green},{blue},0.7)"
    series = engine.IndexSeries(pd.DatetimeIndex(["2000-01-01", "2000-02-01"]), np.zeros(2), np.array([1.0, -1.0]))
    options = figure.FigureOptions(dark=dark, data_end=pd.Timestamp("2000-01-15"), sources_end="May 2026")
    shapes, labels = figure.decorations(series, options, colours, None, dataset.codebook.bands)
    veiled = [a for a in labels if "bgcolor" in a]
    assert veiled and all(a["bgcolor"].startswith(f"rgba({red},{green},{blue},") for a in veiled)
    (line,) = figure.line_traces(series, options, colours)
    assert line["line"]["color"] == colours.ink and line["name"] == "Index"


def test_the_marker_hover_says_when_an_event_is_named_in_the_source_article():
    """An event the source article names ends its hover with "Named in the source article"; another does not."""
    events = make_events(
        {"id": "plain", "date": "1950-01-15", "category": "diplomacy", "in_article": False},
        {"id": "named", "date": "1951-01-15", "category": "diplomacy", "in_article": True},
    )
    plain, named = figure.hover_text(events, LABELS)
    assert named.endswith("<br>Source: example.org<br><i>Named in the source article</i>")
    assert plain.endswith("<br>Source: example.org") and "Named in" not in plain
    _, fig = build(events)
    (trace,) = marker_traces(fig)
    hover = dict(zip(trace.customdata, trace.hovertext))  # the chart draws the named event last
    assert hover == {"plain": plain, "named": named}
