"""Building the chart: data and options in, a plotly Figure out. It never loads data."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components.engine import Band as SensitivityBand, IndexSeries

# Okabe & Ito (2008), "Color Universal Design": told apart under every common
# colour-vision deficiency. Yellow is left out: it vanishes on white.
CATEGORY_COLOURS = {
    "military": "#D55E00",
    "arms_control": "#0072B2",
    "diplomacy": "#E69F00",
    "institutions": "#009E73",
    "enlargement": "#CC79A7",
    "political_change": "#56B4E9",
}
FALLBACK_COLOURS = ("#000000", "#999999", "#882255", "#44AA99", "#117733", "#332288")
# Shapes as well as colours, so a category is readable without colour.
CATEGORY_SYMBOLS = {
    "military": "triangle-down",
    "arms_control": "square",
    "diplomacy": "circle",
    "institutions": "hexagon",
    "enlargement": "pentagon",
    "political_change": "cross",
}
ARTICLE_SYMBOL = "star"
BAND_COLOURS = {  # faint tints from conflict (red) to cooperation (blue)
    "Confrontation": "rgba(213, 94, 0, 0.10)",
    "Tension": "rgba(230, 159, 0, 0.07)",
    "Cool": "rgba(128, 128, 128, 0.0)",
    "Cooperation": "rgba(86, 180, 233, 0.07)",
    "Partnership": "rgba(0, 114, 178, 0.10)",
}


@dataclass(frozen=True)
class FigureOptions:
    title: str = "NATO–Moscow cooperation index, monthly, 1949 to today"
    dark: bool = False
    show_band: bool = True
    show_eras: bool = True
    show_scale_bands: bool = True
    date_range: tuple[pd.Timestamp, pd.Timestamp] | None = None
    selected_id: str | None = None
    comparison_label: str = "Default weights"
    line_label: str = "Your weights"
    height: int = 620


def event_positions(events: pd.DataFrame, series: IndexSeries) -> np.ndarray:
    """The index's value at each event's date, read off the line between its monthly points."""
    if events.empty:
        return np.array([])
    # Both in nanoseconds: pandas 3 keeps each date's own resolution, so asi8 alone can mix units.
    x = series.months.as_unit("ns").asi8.astype(float)
    return np.interp(pd.DatetimeIndex(events["date"]).as_unit("ns").asi8.astype(float), x, series.index)


def hover_text(events: pd.DataFrame, category_labels: Mapping[str, str]) -> list[str]:
    """Hover lines for each event, every user-written field HTML-escaped."""
    day_precise = (events["date_precision"] == "day").tolist()
    dates = [d.strftime("%d %b %Y") if day else d.strftime("%b %Y")
             for d, day in zip(events["date"].tolist(), day_precise)]
    texts = []
    for title, date, category, score, persistence, source_title, url, in_article in zip(
            events["title"].tolist(), dates, events["category"].tolist(), events["score"].tolist(),
            events["persistence"].tolist(), events["source_title"].tolist(), events["source_url"].tolist(),
            events["in_article"].tolist()):
        origin = "<br><i>Named in the source article</i>" if in_article else ""
        source = html.escape(str(source_title or _host(url)))
        texts.append(
            f"<b>{html.escape(str(title))}</b><br>{date} · "
            f"{html.escape(category_labels.get(category, str(category)))} · "
            f"score {score:+g} ({html.escape(str(persistence))})"
            f"<br>Source: {source}{origin}"
        )
    return texts


def _host(url: str) -> str:
    return str(url).split("/")[2] if "://" in str(url) else str(url)


def build_figure(series: IndexSeries, events: pd.DataFrame, category_labels: Mapping[str, str],
                 options: FigureOptions = FigureOptions(), band: SensitivityBand | None = None,
                 comparison: IndexSeries | None = None, eras: pd.DataFrame | None = None,
                 scale_bands: tuple = ()) -> go.Figure:
    """The index line, its sensitivity band, a comparison line, and one marker per event.

    Traces, in order: band (two traces, when given), comparison (when given),
    the index line, one marker trace per category present in ``events``, then
    one trace for the events named in the source article. Each marker carries
    its event id in ``customdata`` for click selection.

    Shapes and annotations are built as plain dicts and set once: plotly's
    ``add_vrect`` and ``add_annotation`` copy the whole layout on every call.
    """
    ink = "#EEEEEE" if options.dark else "#222222"
    # "YYYY-MM" text: a third of the bytes of full timestamps, and plotly reads it as a month.
    months = series.months.strftime("%Y-%m").tolist()
    traces: list[dict] = []
    if band is not None and options.show_band:
        traces.append(dict(type="scatter", x=months, y=band.high, mode="lines", line={"width": 0},
                                 hoverinfo="skip", showlegend=False, name="band_high"))
        traces.append(dict(type="scatter", 
            x=months, y=band.low, mode="lines", line={"width": 0}, fill="tonexty",
            fillcolor="rgba(128,128,128,0.28)", hoverinfo="skip",
            name=f"Sensitivity band (10th–90th percentile, {band.draws} draws)"))
    if comparison is not None:
        traces.append(dict(type="scatter", x=comparison.months.strftime("%Y-%m").tolist(), y=comparison.index, mode="lines",
                                 line={"color": ink, "width": 1.5, "dash": "dot"},
                                 name=options.comparison_label, hoverinfo="skip"))
    # With a comparison, shade the gap between the two lines (fill to the previous trace).
    gap = {"fill": "tonexty", "fillcolor": "rgba(204, 121, 167, 0.25)"} if comparison is not None else {}
    traces.append(dict(type="scatter", x=months, y=series.index, mode="lines", line={"color": ink, "width": 2.2}, **gap,
                             name=options.line_label if comparison is not None else "Index",
                             # Not hoverable: with a point every half pixel the line would win
                             # every click meant for a marker. Monthly values are in the CSV.
                             hoverinfo="skip"))
    ys = event_positions(events, series)
    article = events["in_article"].to_numpy(dtype=bool) if len(events) else np.array([], dtype=bool)
    for i, (category, group) in enumerate(events[~article].groupby("category", sort=False)):
        colour = CATEGORY_COLOURS.get(category, FALLBACK_COLOURS[i % len(FALLBACK_COLOURS)])
        traces.append(_marker_trace(group, ys[events.index.get_indexer(group.index)],
                                    html.escape(category_labels.get(category, str(category))),
                                    [colour] * len(group), CATEGORY_SYMBOLS.get(category, "circle"), 10,
                                    ink, options.selected_id, category_labels))
    if article.any():
        group = events[article]
        colours = [CATEGORY_COLOURS.get(c, FALLBACK_COLOURS[0]) for c in group["category"]]
        traces.append(_marker_trace(group, ys[article], "★ Named in the source article", colours,
                                    ARTICLE_SYMBOL, 16, ink, options.selected_id, category_labels))
    shapes: list[dict] = []
    annotations: list[dict] = []
    if options.show_scale_bands:
        for sb in scale_bands:
            shapes.append({"type": "rect", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": sb.low,
                           "y1": sb.high, "fillcolor": BAND_COLOURS.get(sb.name, "rgba(0,0,0,0)"),
                           "line": {"width": 0}, "layer": "below"})
            annotations.append({"xref": "paper", "x": 1.0, "xanchor": "left", "yref": "y",
                                "y": (sb.low + sb.high) / 2, "text": html.escape(sb.name), "showarrow": False,
                                "font": {"size": 10, "color": "#888888"}})
    if eras is not None and options.show_eras and len(eras):
        era_shapes, era_labels = _eras(eras, series.months[-1])
        shapes += era_shapes
        annotations += era_labels
    shapes.append({"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": 0, "y1": 0,
                   "line": {"color": "#888888", "width": 1}})  # the zero line
    x_range = None
    if options.date_range is not None:
        x_range = [pd.Timestamp(options.date_range[0]), pd.Timestamp(options.date_range[1])]
    layout = dict(
        title={"text": html.escape(options.title), "x": 0, "xanchor": "left"},
        height=options.height,
        margin={"l": 60, "r": 100, "t": 90, "b": 40},
        hovermode="closest",
        hoverlabel={"align": "left"},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "xanchor": "left",
                "title": {"text": ""}, "entrywidth": 0, "font": {"size": 12}},
        xaxis={"title": {"text": "Month"}, "range": x_range, "showgrid": False, "type": "date"},
        yaxis={"title": {"text": "Cooperation index (−10 conflict … +10 cooperation)"},
               "range": [-10.5, 10.5], "zeroline": False, "dtick": 2},
        # Keep the user's zoom when sliders change the data; a new year range resets it.
        uirevision=f"range-{x_range}",
        paper_bgcolor="rgba(0,0,0,0)",
        plot_bgcolor="rgba(0,0,0,0)",
        shapes=shapes,
        annotations=annotations,
    )
    # Every trace and layout entry above is written here and covered by tests, so
    # plotly's per-property validation (two thirds of the build time) is skipped.
    return go.Figure(data=traces, layout=layout, _validate=False)


def _marker_trace(group: pd.DataFrame, ys: np.ndarray, name: str, colours: list[str], symbol: str,
                  size: int, ink: str, selected_id: str | None, category_labels: Mapping[str, str]) -> dict:
    selected = (group["id"] == selected_id).to_numpy()
    return dict(type="scatter", 
        x=group["date"].to_numpy(), y=ys, mode="markers", name=name,
        marker={"color": colours, "symbol": symbol, "size": np.where(selected, size + 6, size).tolist(),
                "line": {"color": ink, "width": np.where(selected, 3, 0.8).tolist()}},
        customdata=group["id"].tolist(),
        hovertext=hover_text(group, category_labels),
        hovertemplate="%{hovertext}<extra></extra>",
    )


def _eras(eras: pd.DataFrame, last_month: pd.Timestamp) -> tuple[list[dict], list[dict]]:
    shapes, labels = [], []
    for i, era in enumerate(eras.itertuples(index=False)):
        end = era.end if pd.notna(era.end) else last_month
        if i % 2 == 0:
            shapes.append({"type": "rect", "xref": "x", "x0": era.start, "x1": end, "yref": "paper", "y0": 0,
                           "y1": 1, "fillcolor": "rgba(128,128,128,0.07)", "line": {"width": 0}, "layer": "below"})
        # Alternate two rows of labels so that short neighbouring eras don't overlap.
        labels.append({"x": era.start + (end - era.start) / 2, "xref": "x", "y": 1.0, "yref": "paper",
                       "yanchor": "bottom", "yshift": 0 if i % 2 == 0 else 14, "text": html.escape(str(era.name)),
                       "showarrow": False, "font": {"size": 10, "color": "#888888"}})
    return shapes, labels
