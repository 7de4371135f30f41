"""Building the charts: data and options in, a plotly Figure out. It never loads data.

Over 400 lines, on purpose: every chart of the app is here (the main chart in its parts — line traces,
markers, decorations, the selected label, the layout, one theme — and the Validation, panel, what-moved and
decomposition charts), so that each is pure data a test can read and none is built inside a page.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components.codebook import ARTICLE_SYMBOL, Category
from components.engine import SCALE_MAX, IndexSeries
from components.engine import Band as SensitivityBand
from components.memo import IdentityMemo


@dataclass(frozen=True)
class FigureOptions:
    title: str = "NATO–Moscow cooperation index, monthly, 1949 to today"
    subtitle: str = ""  # what the view is: years, lens or custom weights, coding, model and data version
    dark: bool = False
    show_band: bool = True
    show_eras: bool = True
    show_scale_bands: bool = True
    date_range: tuple[pd.Timestamp, pd.Timestamp] | None = None
    selected_id: str | None = None
    comparison_label: str = "Default weights"
    line_label: str = "Your weights"
    height: int | None = 620  # None: the chart's frame on the page decides (plotly fills it)
    data_end: pd.Timestamp | None = None  # where the data end (dataset.data_end): the months after are shaded, held
    data_end_label: str = "last coded event"  # what the note calls that date (wording.data_end_label)
    sources_end: str = ""  # "May 2026": the latest stored report the data's sweep found (said beside data_end)
    compact: bool = False  # a phone: era names left out (their shading stays), narrower margins
    source: str = ""  # the source line, drawn under the legend so an exported image carries it


MARGIN_LEFT = 44  # the y-axis tick labels (the scale's ends, signed) need 38 px
# The y-axis: the scale (the engine's ends, which the codebook's loader checks are the codebook's) and half a step.
Y_RANGE = [-SCALE_MAX - 0.5, SCALE_MAX + 0.5]


# Margins that hold what goes in them at every width, so that plotly never widens one after
# drawing and then lays out and draws the whole chart a second time (measured in Chromium).
# The legend sits under the plot in a fixed grid (a fraction of the width per entry), so its
# number of rows does not depend on the screen: two rows on a laptop or a projector, five on a phone.
MARGIN_RIGHT = 16
# A phone: the y tick labels beside the plot as on a wide screen (inside it, the 1949–50 and 2022 markers covered
# them); 30 px hold "−8" (the phone's ticks stop at ±8); the right margin holds half an x label.
MARGIN_LEFT_COMPACT, MARGIN_RIGHT_COMPACT = 30, 8
AXIS_BOTTOM = 40  # the x-axis tick labels (years: no axis title, the dates say what the axis is) need 36 px
LEGEND_ROW, LEGEND_PAD = 21, 12  # one row of 13-px legend entries, and the legend's own padding
LEGEND_PER_ROW, LEGEND_PER_ROW_COMPACT = 5, 2
LABEL_SIZE = 13  # era, level and axis labels: readable from the back of a lecture hall
# Streamlit 1.67's light and dark page colours, as the browser draws them.
PAPER_LIGHT, PAPER_DARK = "#FFFFFF", "#171614"


def _epoch_ms(dates: pd.DatetimeIndex) -> np.ndarray:
    """Dates as float milliseconds since 1970, which a plotly date axis reads as they are."""
    return dates.as_unit("ms").asi8.astype(float)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day_text(dates: pd.DatetimeIndex) -> np.ndarray:
    """Marker dates as "YYYY-MM-DD" text (a plain list in the browser, as the page's tests read it)."""
    unit = "D" if (dates == dates.normalize()).all() else "s"
    return np.datetime_as_string(dates.as_unit("s").to_numpy(), unit=unit)


def event_positions(events: pd.DataFrame, series: IndexSeries) -> np.ndarray:
    """The index's value at each event's date, read off the line between its monthly points."""
    if events.empty:
        return np.array([])
    # Both in nanoseconds: pandas 3 keeps each date's own resolution, so asi8 alone can mix units.
    x = series.months.as_unit("ns").asi8.astype(float)
    return np.interp(pd.DatetimeIndex(events["date"]).as_unit("ns").asi8.astype(float), x, series.index)


def hover_text(events: pd.DataFrame, categories: Mapping[str, Category]) -> list[str]:
    """Hover lines for each event, every user-written field HTML-escaped."""
    if events.empty:
        return []
    # Formatted from the date's parts: strftime, by the column or one at a time, was most of this time.
    when = events["date"].dt
    dates = [
        f"{day:02d} {_MONTHS[month - 1]} {year}" if by_day else f"{_MONTHS[month - 1]} {year}"
        for day, month, year, by_day in zip(
            when.day.tolist(), when.month.tolist(), when.year.tolist(), (events["date_precision"] == "day").tolist()
        )
    ]
    texts = []
    for title, date, category, score, persistence, source_title, url, in_article in zip(
        events["title"].tolist(),
        dates,
        events["category"].tolist(),
        events["score"].tolist(),
        events["persistence"].tolist(),
        events["source_title"].tolist(),
        events["source_url"].tolist(),
        events["in_article"].tolist(),
    ):
        origin = "<br><i>Named in the source article</i>" if in_article else ""
        source = html.escape(str(source_title or _host(url)))
        texts.append(
            f"<b>{html.escape(str(title))}</b><br>{date} · "
            f"{html.escape(categories[category].label if category in categories else str(category))} · "
            f"score {score:+g} ({html.escape(str(persistence))})"
            f"<br>Source: {source}{origin}"
        )
    return texts


def _host(url: str) -> str:
    return str(url).split("/")[2] if "://" in str(url) else str(url)


@dataclass(frozen=True)
class Theme:
    """The chart's colours in the light or the dark page: one object the parts of the figure share."""

    dark: bool
    ink: str  # the line and the strongest text
    label_ink: str  # labels and ticks: contrast above 7:1 on the paper
    paper: str  # the page's own colour, so the chart does not sit in a box of another shade

    def veil(self, alpha: float) -> str:
        """The translucent paper colour behind a label on the plot."""
        red, green, blue = (int(self.paper[i : i + 2], 16) for i in (1, 3, 5))
        return f"rgba({red},{green},{blue},{alpha})"


def theme(dark: bool) -> Theme:
    if dark:
        return Theme(True, "#EEEEEE", "#CCCCCC", PAPER_DARK)
    return Theme(False, "#222222", "#444444", PAPER_LIGHT)


def build_figure(
    series: IndexSeries,
    events: pd.DataFrame,
    categories: Mapping[str, Category],
    options: FigureOptions = FigureOptions(),
    band: SensitivityBand | None = None,
    comparison: IndexSeries | None = None,
    eras: pd.DataFrame | None = None,
    scale_bands: tuple = (),
    line_hover: np.ndarray | str | None = None,
) -> go.Figure:
    """The index line, its sensitivity band, a comparison line, and one marker per event.

    ``line_hover``: what hovering the index line says of each month (``view.line_hover``); without it
    the line is not hoverable.

    Built from parts that return plain data (tests read them): :func:`line_traces` (band, comparison,
    index), :func:`marker_points` and :func:`marker_traces` (the events' markers, each carrying its event id
    in ``customdata`` for click selection, then the legend's keys), :func:`decorations` (the levels of the
    scale, the eras, the zero line and where the data end: shapes and their labels),
    :func:`selected_label` and :func:`layout`, in one :class:`Theme`.

    Shapes and annotations are built as plain dicts and set once: plotly's
    ``add_vrect`` and ``add_annotation`` copy the whole layout on every call.
    """
    traces, figure_layout = figure_spec(
        series, events, categories, options, band, comparison, eras, scale_bands, line_hover
    )
    # Every trace and layout entry is written here and covered by tests, so
    # plotly's per-property validation (two thirds of the build time) is skipped.
    return go.Figure(data=traces, layout=figure_layout, _validate=False)


def figure_spec(
    series: IndexSeries,
    events: pd.DataFrame,
    categories: Mapping[str, Category],
    options: FigureOptions = FigureOptions(),
    band: SensitivityBand | None = None,
    comparison: IndexSeries | None = None,
    eras: pd.DataFrame | None = None,
    scale_bands: tuple = (),
    line_hover: np.ndarray | str | None = None,
) -> tuple[list[dict], dict]:
    """:func:`build_figure`'s traces and layout as plain data (no plotly object): what the dashboard's
    chart component splits into its static part and its part of a step (:func:`split_figure`)."""
    colours = theme(options.dark)
    points = marker_points(series, events, categories, options)
    traces = line_traces(series, options, colours, band, comparison, line_hover)
    traces += marker_traces(events, categories, points, colours)
    shapes, annotations = decorations(series, options, colours, eras, scale_bands)
    annotations += selected_label(series, events, points, options, colours)
    return traces, layout(options, colours, len(categories), shapes, annotations)


# ``line_hover`` for a chart whose line's hover text is written in the browser from its parts (the dashboard's
# chart component, components/chart_parts.py): the line is hoverable, and carries no text from here.
IN_BROWSER = "in browser"


def line_traces(
    series: IndexSeries,
    options: FigureOptions,
    theme: Theme,
    band: SensitivityBand | None = None,
    comparison: IndexSeries | None = None,
    line_hover: np.ndarray | str | None = None,
) -> list[dict]:
    """The band (two traces, when given), the comparison (when given) and the index line."""
    # Milliseconds since 1970 as a float64 array: plotly sends it as base64 and a date
    # axis reads numbers as milliseconds, so the browser parses no date strings.
    months = _epoch_ms(series.months)
    traces: list[dict] = []
    if band is not None and options.show_band:
        traces.append(
            dict(
                type="scatter",
                x=months,
                y=band.high,
                mode="lines",
                line={"width": 0},
                hoverinfo="skip",
                showlegend=False,
                name="band_high",
            )
        )
        traces.append(
            dict(
                type="scatter",
                x=months,
                y=band.low,
                mode="lines",
                line={"width": 0},
                fill="tonexty",
                fillcolor="rgba(128,128,128,0.28)",
                hoverinfo="skip",
                name=f"Uncertainty {band.percentiles[0]:g}–{band.percentiles[1]:g}%",
            )
        )
    if comparison is not None:
        traces.append(
            dict(
                type="scatter",
                x=_epoch_ms(comparison.months),
                y=comparison.index,
                mode="lines",
                line={"color": theme.ink, "width": 1.5, "dash": "dot"},
                name=options.comparison_label,
                hoverinfo="skip",
            )
        )
    # With a comparison, shade the gap between the two lines (fill to the previous trace).
    gap = {"fill": "tonexty", "fillcolor": "rgba(204, 121, 167, 0.25)"} if comparison is not None else {}
    traces.append(
        dict(
            type="scatter",
            x=months,
            y=series.index,
            mode="lines",
            line={"color": theme.ink, "width": 2.2},
            **gap,
            name=options.line_label if comparison is not None else "Index",
            # Hoverable along its months; a pointer within reach of a marker hovers the marker instead
            # (assets/page.js), since with a point every half pixel the line would win plotly's "closest".
            # No customdata: a click on the line selects no event.
            # ``line_hover`` is the text, or IN_BROWSER: the chart component writes it in the page.
            **(
                {"hoverinfo": "skip"}
                if line_hover is None
                else {
                    **({} if isinstance(line_hover, str) else {"hovertext": np.asarray(line_hover, dtype=str)}),
                    "hovertemplate": "%{hovertext}<extra></extra>",
                    # In the page's colours, ink on paper (plotly's default takes the line's: white on black).
                    "hoverlabel": {
                        "bgcolor": theme.paper,
                        "bordercolor": theme.ink,
                        "font": {"color": theme.ink, "size": LABEL_SIZE},
                    },
                }
            ),
        )
    )
    return traces


def marker_points(
    series: IndexSeries, events: pd.DataFrame, categories: Mapping[str, Category], options: FigureOptions
) -> _MarkerPoints:
    """Where each event's marker goes and what it says."""
    # Each column is read and formatted once for all events; the traces take their rows by position.
    x, hover = _MARKER_TEXT.get(events, id(categories), lambda: _marker_text(events, categories))
    return _MarkerPoints(
        x=x,
        y=event_positions(events, series),
        ids=events["id"].to_numpy(dtype=object),
        hover=hover,
        selected=(events["id"] == options.selected_id).to_numpy(dtype=bool)
        if options.selected_id is not None
        else np.zeros(len(events), dtype=bool),
    )


# The markers' dates and hover text do not change with the weights: kept by the identity of the events shown
# (the dashboard passes the view's own frame when every category is shown), read-only.
_MARKER_TEXT = IdentityMemo(size=4)


def _marker_text(events: pd.DataFrame, categories: Mapping[str, Category]) -> tuple[np.ndarray, np.ndarray]:
    x = _day_text(pd.DatetimeIndex(events["date"]))
    hover = np.array(hover_text(events, categories), dtype=object)
    x.flags.writeable = hover.flags.writeable = False
    return x, hover


def marker_traces(
    events: pd.DataFrame, categories: Mapping[str, Category], points: _MarkerPoints, theme: Theme
) -> list[dict]:
    """Every event's marker in one trace, then an empty trace a legend entry (see :func:`_events_trace`)."""
    traces: list[dict] = []
    of_event = events["category"].to_numpy(dtype=object)
    article = events["in_article"].to_numpy(dtype=bool) if len(events) else np.array([], dtype=bool)
    # In the codebook's order, each with its own colour and symbol: hiding some never shifts the others'.
    # The article's events come last, so that their stars are drawn on top.
    entries = [
        (html.escape(category.label), category.symbol, 10, np.flatnonzero(~article & (of_event == key)))
        for key, category in categories.items()
    ] + [("★ In the article", ARTICLE_SYMBOL, 16, np.flatnonzero(article))]
    entries = [entry for entry in entries if len(entry[3])]
    if entries:
        order = np.concatenate([rows for *_, rows in entries])
        colour_of = {key: category.colour for key, category in categories.items()}
        colours = np.array([colour_of.get(c, theme.ink) for c in of_event], dtype=object)
        symbols = np.concatenate([np.full(len(rows), symbol, dtype=object) for _, symbol, _, rows in entries])
        sizes = np.concatenate([np.full(len(rows), size) for _, _, size, rows in entries])
        traces.append(_events_trace(points, order, colours[order], symbols, sizes, theme.ink))
        for name, symbol, size, rows in entries:
            traces.append(_legend_entry(name, colours[rows[0]], symbol, size, theme.ink))
    return traces


def decorations(
    series: IndexSeries,
    options: FigureOptions,
    theme: Theme,
    eras: pd.DataFrame | None = None,
    scale_bands: tuple = (),
) -> tuple[list[dict], list[dict]]:
    """The shapes under the line and their labels: the levels of the scale, the eras, the zero line and
    the months after the last coded event."""
    shapes: list[dict] = []
    annotations: list[dict] = []
    if options.show_scale_bands:
        for sb in scale_bands:
            shapes.append(
                {
                    "type": "rect",
                    "xref": "paper",
                    "x0": 0,
                    "x1": 1,
                    "yref": "y",
                    "y0": sb.low,
                    "y1": sb.high,
                    "fillcolor": sb.tint,
                    "line": {"width": 0},
                    "layer": "below",
                    # Named inside the plot's right edge, on the band's own layer: under the line and the
                    # markers, so that the name never hides an event (as a label over them it hid the 2022-26
                    # markers, which sit at the plot's right edge in Tension and Confrontation). At the band's
                    # foot, over its edge: the middle of every band is on a grid line, which struck the name out,
                    # and the top band's top holds the note on where the data end.
                    "label": {
                        "text": html.escape(sb.name),
                        "textposition": "bottom right",
                        "font": {"size": LABEL_SIZE, "color": theme.label_ink},
                        "padding": 4,
                    },
                }
            )
    if eras is not None and options.show_eras and len(eras):
        era_shapes, era_labels = _eras(eras, series.months[-1], theme.label_ink)
        shapes += era_shapes
        if not options.compact:  # on a phone eleven names cannot share 300 px: the Events page names them
            annotations += era_labels
    shapes.append(
        {
            "type": "line",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "yref": "y",
            "y0": 0,
            "y1": 0,
            "line": {"color": "#888888", "width": 1},
        }
    )  # the zero line
    if options.data_end is not None and series.months[-1] > options.data_end:
        # Honest ends: after the data end the line only carries its value forward.
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "x0": options.data_end,
                "x1": series.months[-1],
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "fillcolor": "rgba(128,128,128,0.18)",
                "line": {"width": 0},
                "layer": "below",
            }
        )
        annotations.append(
            {
                "x": options.data_end,
                "xref": "x",
                "xanchor": "right",
                # One line along the plot's top edge, over the years since 2000 (the line stays under +4 there) and
                # above the level names on the right: between two of them it met one on a 1280×720 screen.
                "y": 1.0,
                "yref": "paper",
                "yanchor": "top",
                "showarrow": False,
                "font": {"size": LABEL_SIZE, "color": theme.ink},
                "bgcolor": theme.veil(0.7),
                "text": f"{options.data_end_label} {options.data_end:%b %Y}"
                + (f" · latest source found {html.escape(options.sources_end)}" if options.sources_end else "")
                + " →",
                "visible": not options.compact,  # on a phone the shading says it alone
            }
        )
    return shapes, annotations


def selected_label(
    series: IndexSeries, events: pd.DataFrame, points: _MarkerPoints, options: FigureOptions, theme: Theme
) -> list[dict]:
    """The selected event's name beside its marker (its marker is ringed by :func:`_events_trace`)."""
    annotations: list[dict] = []
    chosen = np.flatnonzero(points.selected)
    if len(chosen):  # the selected event is ringed (its marker) and named on the chart
        i = int(chosen[0])
        title = str(events["title"].iloc[i])
        first, last = (
            (pd.Timestamp(options.date_range[0]), pd.Timestamp(options.date_range[1]))
            if options.date_range is not None
            else (series.months[0], series.months[-1])
        )
        # The name runs towards the middle of the chart, so that it never leaves the plot at either edge.
        right_half = pd.Timestamp(events["date"].iloc[i]) > first + (last - first) / 2
        annotations.append(
            {
                "x": points.x[i],
                "xref": "x",
                "y": float(points.y[i]),
                "yref": "y",
                "text": html.escape(title if len(title) <= 40 else title[:39] + "…"),
                "showarrow": True,
                "arrowhead": 0,
                "arrowcolor": theme.label_ink,
                "ax": 0,
                "ay": 44 if points.y[i] > 4 else -44,  # away from the nearer edge of the scale
                "xanchor": "right" if right_half else "left",
                "font": {"size": LABEL_SIZE, "color": theme.label_ink},
                "bgcolor": theme.veil(0.85),
                "bordercolor": theme.label_ink,
                "borderwidth": 1,
                "name": "selected",
            }
        )
    return annotations


def layout(options: FigureOptions, theme: Theme, n_categories: int, shapes: list, annotations: list) -> dict:
    """Title, size, margins, legend, axes and interaction: the figure's layout as plain data.

    The margins are a contract (``tests/test_figure.py``): they already hold what goes in them at every
    width, so that plotly never widens one after drawing and then draws the whole chart a second time.
    """
    # The source line goes under the subtitle, so it travels with an exported image and never meets a
    # legend that wraps to more rows on a narrow screen.
    subtitle = html.escape(options.subtitle)
    if options.source:
        # The view's link on a line of its own: after the data's description it ran off a 1280-px chart.
        subtitle += "<br>" + "<br>View:".join(html.escape(part) for part in options.source.split(" View:", 1))
    x_range = None
    if options.date_range is not None:
        x_range = [pd.Timestamp(options.date_range[0]), pd.Timestamp(options.date_range[1])]
    per_row = LEGEND_PER_ROW_COMPACT if options.compact else LEGEND_PER_ROW
    # Rows for every entry the legend can have (band, comparison, index, categories, article), so that
    # the plot keeps its size when markers or the comparison are switched.
    legend_rows = -(-(n_categories + 4) // per_row)
    return dict(
        title={
            "text": html.escape(options.title),
            "x": 0,
            "xanchor": "left",
            "font": {"size": 18},
            "y": 0.985,
            "yref": "container",
            "yanchor": "top",
            "subtitle": {"text": subtitle, "font": {"size": LABEL_SIZE}},
        },
        **({} if options.height is None else {"height": options.height}),
        # Margins that already hold the y-axis labels and the legend: when they are too
        # small plotly widens them after drawing and then draws the whole chart again.
        margin={
            "l": MARGIN_LEFT_COMPACT if options.compact else MARGIN_LEFT,
            "r": MARGIN_RIGHT_COMPACT if options.compact else MARGIN_RIGHT,
            "t": (70 if options.compact else 120) + (36 if options.source else 0),
            "b": AXIS_BOTTOM + legend_rows * LEGEND_ROW + LEGEND_PAD,
        },
        font={"size": LABEL_SIZE},
        hovermode="closest",
        hoverlabel={"align": "left"},
        legend={
            "orientation": "h",
            "yref": "container",
            "yanchor": "bottom",
            "y": 0,
            "x": 0,
            "xanchor": "left",
            "entrywidthmode": "fraction",
            "entrywidth": 1 / per_row - 0.001,  # exactly per_row entries a row (a whole fifth rounds to four)
            "itemwidth": 30,
            "itemsizing": "constant",  # the article's 16-px star as large as the others: one row each
            "traceorder": "normal",  # plotly reverses it when traces fill to the next one
            "itemclick": False,  # the entries are keys; "Event markers shown" chooses the markers
            "itemdoubleclick": False,
            "title": {"text": ""},
            "font": {"size": LABEL_SIZE},
        },
        # What Streamlit's chart sets in the browser for point selection; set here, so that
        # the chart is not drawn a second time to change them once it is on the page.
        clickmode="event+select",
        dragmode="pan",
        # Tick labels at the label size and ink: Streamlit's chart theme makes them 12 px in a grey of 3.7:1.
        xaxis={
            "tickfont": {"size": LABEL_SIZE, "color": theme.label_ink},
            "range": x_range,
            "showgrid": False,
            "type": "date",
        },
        yaxis={
            "tickfont": {"size": LABEL_SIZE, "color": theme.label_ink},
            "range": Y_RANGE,
            "zeroline": False,
            "dtick": 2,
            # On a phone the ticks stop at ±8 (the subtitle names the ends): "−10" would need a wider margin.
            **({"tickvals": list(range(-8, 9, 2))} if options.compact else {}),
        },
        # Keep the user's zoom when sliders change the data; a new year range resets it.
        uirevision=f"range-{x_range}",
        # Opaque, in the theme's own colour: an image saved from the toolbar then reads on any slide.
        paper_bgcolor=theme.paper,
        plot_bgcolor="rgba(0,0,0,0)",
        shapes=shapes,
        annotations=annotations,
    )


@dataclass(frozen=True)
class _MarkerPoints:
    """Every event's marker data, in the events' order."""

    x: np.ndarray
    y: np.ndarray
    ids: np.ndarray
    hover: np.ndarray
    selected: np.ndarray


def _events_trace(
    points: _MarkerPoints,
    rows: np.ndarray,
    colours: np.ndarray,
    symbols: np.ndarray,
    sizes: np.ndarray,
    ink: str,
) -> dict:
    """Every event's marker in one trace, each with its category's colour and symbol.

    One trace, not one a category: plotly.js draws 400 markers in one trace in about half the time
    it takes over eight (measured in Chromium), and the chart is drawn on every weight step. The
    legend's entries are separate, empty traces (:func:`_legend_entry`), so a click on the legend
    does not hide markers (the page's "Event markers shown" does that).
    """
    selected = points.selected[rows]
    sizes = np.where(selected, sizes + 6, sizes)
    widths = np.where(selected, 3, 0.8)
    return dict(
        type="scatter",
        x=points.x[rows].astype(str),
        y=points.y[rows],
        mode="markers",
        name="Events",
        showlegend=False,
        # 0.7: the opacity plotly gives markers whose sizes come as a list, now set for all of them.
        marker={
            "color": colours.tolist() if len(set(colours.tolist())) > 1 else colours[0],
            "symbol": symbols.tolist() if len(set(symbols.tolist())) > 1 else symbols[0],
            "size": sizes.tolist() if len(set(sizes.tolist())) > 1 else int(sizes[0]),
            "opacity": 0.7,
            "line": {"color": ink, "width": widths.tolist() if selected.any() else 0.8},
        },
        # Fixed-width text arrays, not lists: plotly deep-copies a figure's data twice on its way to the
        # browser, and a list is copied item by item (the same JSON either way).
        # plotly dims the points a selection leaves out; the chart rings the selected event itself, and a
        # click on the line (which selects a month, no event) must not grey every marker.
        unselected={"marker": {"opacity": 0.7}},
        selected={"marker": {"opacity": 0.7}},
        customdata=points.ids[rows].astype(str),
        hovertext=points.hover[rows].astype(str),
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _legend_entry(name: str, colour: str, symbol: str, size: int, ink: str) -> dict:
    """A legend entry for one kind of marker: a trace whose one point is missing (an empty trace has none)."""
    return dict(
        type="scatter",
        x=[None],
        y=[None],
        mode="markers",
        name=name,
        hoverinfo="skip",
        marker={"color": colour, "symbol": symbol, "size": size, "opacity": 0.7, "line": {"color": ink, "width": 0.8}},
    )


def _eras(eras: pd.DataFrame, last_month: pd.Timestamp, ink: str = "#444444") -> tuple[list[dict], list[dict]]:
    shapes, labels = [], []
    for i, era in enumerate(eras.itertuples(index=False)):
        end = era.end if pd.notna(era.end) else last_month
        if i % 2 == 0:
            shapes.append(
                {
                    "type": "rect",
                    "xref": "x",
                    "x0": era.start,
                    "x1": end,
                    "yref": "paper",
                    "y0": 0,
                    "y1": 1,
                    "fillcolor": "rgba(128,128,128,0.07)",
                    "line": {"width": 0},
                    "layer": "below",
                }
            )
        # Alternate two rows of labels so that short neighbouring eras don't overlap.
        labels.append(
            {
                "x": era.start + (end - era.start) / 2,
                "xref": "x",
                "y": 1.0,
                "yref": "paper",
                "yanchor": "bottom",
                "yshift": 0 if i % 2 == 0 else 17,
                "text": html.escape(str(era.name)),
                "showarrow": False,
                "font": {"size": LABEL_SIZE, "color": ink},
            }
        )
    return shapes, labels


def validation_figure(series: IndexSeries, references: list, dark: bool = False) -> go.Figure:
    """The index beside outside series, each rescaled to the scale by its own range (sign turned to agree)."""
    from components.validation import normalised  # pure; imported here to keep the chart module's imports light

    ink = theme(dark).ink
    palette = ("#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00")
    traces = [
        dict(
            type="scatter",
            x=_epoch_ms(series.months),
            y=series.index,
            mode="lines",
            line={"color": ink, "width": 2},
            name="Index",
        )
    ]
    for colour, reference in zip(palette, references, strict=False):
        scaled = normalised(reference)
        shape = "hv" if reference.key == "doomsday" else "linear"  # a setting holds until the next one
        traces.append(
            dict(
                type="scatter",
                x=_epoch_ms(pd.DatetimeIndex(scaled.index)),
                y=scaled.to_numpy(),
                mode="lines+markers",
                line={"color": colour, "width": 1.5, "shape": shape},
                marker={"size": 5},
                name=html.escape(reference.label),
            )
        )
    layout = dict(
        height=460,
        margin={"l": 60, "r": 20, "t": 40, "b": 40},
        hovermode="x unified",
        legend={"orientation": "h", "y": -0.15, "font": {"size": 13}},
        xaxis={"type": "date", "showgrid": False},
        yaxis={"title": {"text": "index; each series rescaled to its own range"}, "range": Y_RANGE},
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return go.Figure(data=traces, layout=layout, _validate=False)


def panel_figure(comparison: pd.DataFrame, dark: bool = False) -> go.Figure:
    """The index's yearly mean beside the blind panel's median for each year, with the panel's range.

    ``comparison``: ``components.panel.comparison`` (period, median, low, high, year, index, difference);
    only its yearly rows are drawn (a crisis month is one point, shown in the table, not on this line).
    """
    years = comparison[comparison["period"].str.len() == 4]
    x = _epoch_ms(pd.DatetimeIndex(pd.to_datetime(years["period"] + "-07-01")))
    ink = theme(dark).ink
    panel_colour = "#0072B2"
    traces = [
        dict(
            type="scatter",
            x=np.concatenate([x, x[::-1]]),
            y=np.concatenate([years["high"].to_numpy(), years["low"].to_numpy()[::-1]]),
            fill="toself",
            fillcolor="rgba(0, 114, 178, 0.18)",
            line={"width": 0},
            hoverinfo="skip",
            name="Panel's range (lowest to highest)",
        ),
        dict(
            type="scatter",
            x=x,
            y=years["median"].to_numpy(),
            mode="lines+markers",
            line={"color": panel_colour, "width": 2, "dash": "dot"},
            marker={"size": 5},
            name="Panel median (blind)",
            hovertemplate="%{x|%Y}: panel median %{y:+.1f}<extra></extra>",
        ),
        dict(
            type="scatter",
            x=x,
            y=years["index"].to_numpy(),
            mode="lines",
            line={"color": ink, "width": 2},
            name="Index, yearly mean (your settings)",
            hovertemplate="%{x|%Y}: index %{y:+.1f}<extra></extra>",
        ),
    ]
    layout = dict(
        height=380,
        margin={"l": 60, "r": 20, "t": 30, "b": 40},
        hovermode="x unified",
        legend={"orientation": "h", "y": -0.18, "font": {"size": 13}},
        xaxis={"type": "date", "showgrid": False},
        yaxis={
            "title": {"text": f"level ({-SCALE_MAX:g} … +{SCALE_MAX:g})".replace("-", "−")},
            "range": Y_RANGE,
            "zeroline": True,
        },
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return go.Figure(data=traces, layout=layout, _validate=False)


def movement_figure(steps: pd.DataFrame, start_value: float, title: str, dark: bool = False) -> go.Figure:
    """A waterfall from the index at the first month to the index at the second: one bar per step of
    ``components.view.movement_steps`` (events, the rest together, the squash), starting at the first value."""
    ink = theme(dark).ink
    labels = steps["label"].tolist()
    values = steps["change"].to_numpy(dtype=float)
    # The bars start at the first month's value (base), so the axis spans the change, not 0 to the value.
    path = start_value + np.concatenate([[0.0], np.cumsum(values)])
    pad = max(0.15, 0.08 * float(path.max() - path.min()))
    trace = dict(
        type="waterfall",
        orientation="h",
        y=[html.escape(label) for label in labels],
        x=values.tolist(),
        base=start_value,
        measure=["relative"] * len(labels),
        increasing={"marker": {"color": "#0072B2"}},
        decreasing={"marker": {"color": "#D55E00"}},
        totals={"marker": {"color": "#777777"}},
        connector={"line": {"color": "#999999", "width": 1}},
        hovertemplate="%{y}: %{x:+.2f}<extra></extra>",
    )
    layout = dict(
        height=120 + 34 * len(labels),
        margin={"l": 10, "r": 20, "t": 40, "b": 40},
        title={"text": html.escape(title), "font": {"size": 15, "color": ink}},
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={
            "title": {"text": "index (each bar: one step from the first month's value to the second's)"},
            "range": [float(path.min()) - pad, float(path.max()) + pad],
        },
        showlegend=False,
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
    )
    return go.Figure(data=[trace], layout=layout, _validate=False)


def decomposition_figure(by_category: pd.DataFrame, month: pd.Timestamp, dark: bool = False) -> go.Figure:
    """Each category's contribution to the raw level in one month (``engine.decompose``'s ``by_category``,
    labelled): a bar a category, blue for cooperation and orange for conflict."""
    ink = theme(dark).ink
    totals = by_category["total"].to_numpy(dtype=float)
    trace = dict(
        type="bar",
        x=totals,
        y=by_category["category"].tolist(),
        orientation="h",
        marker={"color": ["#0072B2" if v >= 0 else "#D55E00" for v in totals]},
        hovertemplate="%{y}: %{x:+.2f}<extra></extra>",
    )
    layout = dict(
        height=260,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        title={"text": f"Contributions by category, {month:%B %Y}", "font": {"color": ink}},
        xaxis={"title": {"text": "Contribution to the raw level"}},
        yaxis={"automargin": True},
    )
    return go.Figure(data=[trace], layout=layout, _validate=False)
