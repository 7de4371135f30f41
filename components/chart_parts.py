"""The main chart in two parts, for the dashboard's chart component (``components/ui/chart.py``): what a weight
step changes, and what it leaves alone.

A weight step moves the index line, its band, the comparison line and the markers that sit on the line (their
heights), the selected event's label (it points at its marker) and the subtitle (the view's description and its
link). Everything else — the markers' dates, colours, symbols and hover text, the eras, the level bands, the
legend, the axes, the margins — stays as it was. The component receives the static part only when it changes
(told by its version, a hash of its content) and the step's part every run, and updates the chart in place.

Pure data in and out: :func:`split_figure` and :func:`join_figure` are each other's inverse (the tests rebuild
``build_figure``'s figure from the two parts), and nothing here imports Streamlit.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

import numpy as np
from plotly.io.json import to_json_plotly

from components.view import LineHover

SELECTED = "selected"  # the name of figure.selected_label's annotation

# Streamlit 1.67's chart theme ("streamlit"), as its st.plotly_chart applies it in the browser to this chart in a
# light and a dark page: read from the page (the figure's layout.template after Streamlit's PlotlyChart had set it).
# Only what can show on this chart is kept (fonts, title, legend, axes, hover labels, the scatter markers' edge).
# The chart component draws with it, so that the chart looks as st.plotly_chart drew it.
_FONT = '"Source Sans", sans-serif'


def _look(text: str, heading: str, legend: str, grid: str, paper: str, border: str) -> dict:
    return {
        "data": {"scatter": [{"marker": {"line": {"width": 0}}, "type": "scatter"}]},
        "layout": {
            "colorway": ["#0068c9", "#83c9ff", "#ff2b2b", "#ffabab", "#29b09d", "#7defa1", "#ff8700", "#ffd16a"]
            + ["#6d3fc0", "#d5dae5"],
            "font": {"color": text, "family": _FONT, "size": 12, "weight": 400},
            "title": {
                "font": {"family": _FONT, "size": 16, "color": heading},
                "pad": {"l": 4},
                "xanchor": "left",
                "x": 0,
            },
            "legend": {
                "title": {"font": {"size": 12, "color": text}, "side": "top"},
                "valign": "top",
                "bordercolor": "transparent",
                "borderwidth": 0,
                "font": {"size": 12, "color": legend},
            },
            "paper_bgcolor": paper,
            "plot_bgcolor": paper,
            "yaxis": {
                "ticklabelposition": "outside",
                "zerolinecolor": grid,
                "title": {"font": {"color": text, "size": 14}, "standoff": 24},
                "tickcolor": grid,
                "tickfont": {"color": text, "size": 12},
                "gridcolor": grid,
                "minor": {"gridcolor": grid},
                "automargin": True,
            },
            "xaxis": {
                "zerolinecolor": grid,
                "gridcolor": grid,
                "showgrid": False,
                "tickfont": {"color": text, "size": 12},
                "tickcolor": grid,
                "title": {"font": {"color": text, "size": 14}, "standoff": 20},
                "minor": {"gridcolor": grid},
                "zeroline": False,
                "automargin": True,
            },
            "margin": {"pad": 8, "r": 0, "l": 0},
            "hoverlabel": {
                "bgcolor": paper,
                "bordercolor": border,
                "font": {"color": text, "family": _FONT, "size": 12},
            },
        },
    }


LOOK_LIGHT = _look("#808495", "#2F2D2B", "#262730", "#e6eaf1", "#FFFFFF", "#DCD8D4")
LOOK_DARK = _look("#e6eaf1", "#EDEBE8", "#fafafa", "#31333F", "#171614", "#4A4742")


def with_page_look(layout: dict, dark: bool) -> dict:
    """The layout as st.plotly_chart shows it in Streamlit's light or dark page: its chart theme as the
    template, and the title in bold (Streamlit's chart sets both in the browser)."""
    title = layout.get("title") or {}
    text = title.get("text", "")
    return {
        **layout,
        "template": LOOK_DARK if dark else LOOK_LIGHT,
        "title": {**title, "text": f"<b>{text}</b>" if text else text},
    }


@dataclass(frozen=True)
class ChartParts:
    """The figure's static part (traces without what a step moves, the layout without the subtitle's text
    and the selected label) and its step's part (what moves, by trace and attribute; the subtitle; the label)."""

    traces: list[dict]
    layout: dict
    moving: dict[int, dict[str, np.ndarray]]
    subtitle: str
    selected: list[dict]
    # The line's hover text in parts (``view.LineHover``), written in the browser; None: the figure carries it.
    hover: LineHover | None = None
    hover_traces: dict[str, int | None] | None = None  # the line's and the band's traces, by role


def _moving(trace: dict) -> dict[str, np.ndarray]:
    """What a step moves in a trace: its y when a float array (the lines, the band, the markers on the line; a
    legend key's single missing point stays), and a line's hover text (it says the month's value)."""
    y = trace.get("y")
    if not (isinstance(y, np.ndarray) and y.dtype.kind == "f"):
        return {}
    if "lines" in trace.get("mode", "") and isinstance(trace.get("hovertext"), np.ndarray):
        return {"y": y, "hovertext": trace["hovertext"]}
    return {"y": y}


def _hover_traces(traces: list[dict]) -> dict[str, int | None]:
    """Where the hover text's numbers are: the index line (the hoverable line) and the band's two edges."""
    line = next(i for i, t in enumerate(traces) if "lines" in t.get("mode", "") and "hovertemplate" in t)
    high = next((i for i, t in enumerate(traces) if t.get("name") == "band_high"), None)
    return {"line": line, "high": high, "low": None if high is None else high + 1}


def split_figure(traces: list[dict], layout: dict, hover: LineHover | None = None) -> ChartParts:
    """``hover``: the line's hover text in parts, for a figure built with ``line_hover=figure.IN_BROWSER``."""
    moving = {i: found for i, trace in enumerate(traces) if (found := _moving(trace))}
    static_traces = [
        {**trace, **dict.fromkeys(moving[i], None)} if i in moving else trace for i, trace in enumerate(traces)
    ]
    title = layout.get("title") or {}
    subtitle = title.get("subtitle") or {}
    annotations = layout.get("annotations") or []
    static_layout = {
        **layout,
        "title": {**title, "subtitle": {**subtitle, "text": ""}},
        "annotations": [a for a in annotations if a.get("name") != SELECTED],
    }
    return ChartParts(
        traces=static_traces,
        layout=static_layout,
        moving=moving,
        subtitle=subtitle.get("text", ""),
        selected=[a for a in annotations if a.get("name") == SELECTED],
        hover=hover,
        hover_traces=None if hover is None else _hover_traces(traces),
    )


def join_figure(parts: ChartParts) -> tuple[list[dict], dict]:
    """The inverse of :func:`split_figure`: the traces and layout that were split."""
    traces = [{**trace, **parts.moving[i]} if i in parts.moving else trace for i, trace in enumerate(parts.traces)]
    if parts.hover is not None:  # the text the browser writes from the parts (assets/chart.js)
        at = parts.hover_traces
        y = {role: None if at[role] is None else traces[at[role]]["y"] for role in at}
        traces[at["line"]] = {**traces[at["line"]], "hovertext": parts.hover.text(y["line"], y["low"], y["high"])}
    title = parts.layout["title"]
    layout = {
        **parts.layout,
        "title": {**title, "subtitle": {**title["subtitle"], "text": parts.subtitle}},
        "annotations": parts.layout["annotations"] + parts.selected,
    }
    return traces, layout


# plotly.js's typed arrays, by numpy's dtype: what a spec's "dtype" may name (assets/chart.js decodes these).
_JS_TYPES = ("f8", "f4", "i4", "i2", "i1", "u4", "u2", "u1")


def _typed_array(v: np.ndarray):
    """A numeric array as plotly.js's typed-array spec, {dtype, bdata: base64}, as plotly.py sends its figures
    (plotly.py's own encoder is private, in ``_plotly_utils``). 64-bit integers, which plotly.js has no type for,
    go as the narrowest integer type that holds them; an array no type holds stays as it is (a JSON list)."""
    if v.size == 0 or v.ndim != 1:
        return v
    if v.dtype.kind in "iu" and v.dtype.itemsize == 8:
        low, high = v.min(), v.max()
        kind = "int" if v.dtype.kind == "i" else "uint"
        fits = [t for t in (f"{kind}8", f"{kind}16", f"{kind}32") if np.iinfo(t).min <= low and high <= np.iinfo(t).max]
        if not fits:
            return v
        v = v.astype(fits[0])
    code = v.dtype.str[1:]
    if code not in _JS_TYPES:
        return v
    return {"dtype": code, "bdata": base64.b64encode(np.ascontiguousarray(v)).decode("ascii")}


def _typed(obj):
    """Numeric arrays as plotly.js's typed-array spec ({dtype, bdata}: base64, as plotly.py sends them);
    everything else as it is (to_json_plotly writes text arrays, dates and numpy scalars)."""
    if isinstance(obj, dict):
        return {k: obj[k] if k == "range" else _typed(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_typed(v) for v in obj]
    if isinstance(obj, np.ndarray) and obj.dtype.kind in "fiu":
        return _typed_array(obj)
    return obj


def _feed(digest, value) -> None:
    """Every value of the static part into a hash, arrays by their bytes (no JSON: it is written only when sent)."""
    if isinstance(value, dict):
        digest.update(b"{")
        for key in sorted(value):
            digest.update(repr(key).encode())
            _feed(digest, value[key])
        digest.update(b"}")
    elif isinstance(value, list | tuple) and value and not isinstance(value[0], dict | list | tuple | np.ndarray):
        # A list of plain values (the markers' colours, symbols, sizes): its repr, whole.
        digest.update(f"{type(value).__name__}:{value!r};".encode())
    elif isinstance(value, list | tuple):
        digest.update(b"[")
        for item in value:
            _feed(digest, item)
        digest.update(b"]")
    elif isinstance(value, np.ndarray) and value.dtype.kind in "fiubUS":
        digest.update(f"{value.dtype.str}{value.shape}".encode())
        digest.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, np.ndarray):
        _feed(digest, value.tolist())
    else:
        digest.update(f"{type(value).__name__}:{value!r};".encode())


def _hover_static(parts: ChartParts) -> dict | None:
    """What the browser needs, besides a step's, to write the line's hover text (:meth:`view.LineHover.text`)."""
    hover = parts.hover
    if hover is None:
        return None
    return {
        **parts.hover_traces,
        "labels": list(hover.labels),
        "edges": [float(e) for e in hover.edges],
        "names": list(hover.names),
        "titles": list(hover.titles),
        "position": hover.position,
        "carried": hover.carried,
    }


def _static(parts: ChartParts, dark: bool) -> dict:
    out = {"data": parts.traces, "layout": with_page_look(parts.layout, dark)}
    hover = _hover_static(parts)
    return out if hover is None else {**out, "hover": hover}


def static_version(parts: ChartParts, dark: bool) -> str:
    """A hash of the static part in the page's look: the same for the same static part, from run to run."""
    digest = hashlib.blake2b(digest_size=10)
    _feed(digest, _static(parts, dark))
    return digest.hexdigest()


def static_json(parts: ChartParts, dark: bool) -> str:
    """The static part as JSON: {"data", "layout"} in the page's look, and "hover" when the browser writes the
    line's hover text."""
    return to_json_plotly(_typed(_static(parts, dark)))


def step_json(parts: ChartParts) -> str:
    """The step's part as JSON: the moving traces' indices and, for each, what moves (y as a typed-array spec);
    the subtitle; the selected label."""
    return to_json_plotly(
        {
            "traces": list(parts.moving),
            "data": [_typed(moves) for moves in parts.moving.values()],
            "subtitle": parts.subtitle,
            "selected": _typed(parts.selected),
            # Each month's heaviest event (a row of the static part's titles, −1: none) and its term.
            **(
                {}
                if parts.hover is None
                else {"hover": {"rows": _typed(parts.hover.rows.astype(np.int32)), "terms": _typed(parts.hover.terms)}}
            ),
        }
    )
