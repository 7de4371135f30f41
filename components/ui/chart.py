"""The dashboard's main chart: a custom component (Streamlit components v2) that keeps one plotly div across
reruns and updates it in place (``assets/chart.js``).

``st.plotly_chart`` sends the whole figure on every weight step and the browser draws it anew. This sends the
figure in two parts (``components.chart_parts``): the static part (every trace's look, the markers' dates and
hover text, the eras, the level bands, the layout) only when its version is new to this session, and the step's
part (the moving traces' y, the line's hover text, the subtitle, the selected label) every run.

plotly.js is served by the app (``static/``, Streamlit's static file serving, ``.streamlit/config.toml``): the
basic bundle of the plotly.js that plotly.py bundles. That route needs nothing installed, so it works where
the project is not (Streamlit Community Cloud installs requirements.txt only).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from components import chart_parts
from components.view import LineHover

_ASSETS = Path(__file__).parent / "assets"
COMPONENT_NAME = "nri_main_chart"
_COMPONENT = st.components.v2.component(
    COMPONENT_NAME,
    js=(_ASSETS / "chart.js").read_text(encoding="utf-8"),
    css=(_ASSETS / "chart.css").read_text(encoding="utf-8"),
    # In the page's DOM, not a shadow root: plotly.js puts its styles (toolbar, hover labels) in the document's
    # head, and the browser tests and the page's script find the plot as ".st-key-chart .js-plotly-plot".
    isolate_styles=False,
)
SENT_KEY = "_main_chart_static_sent"  # the static part's version this session's page has, by the chart's key
STEP_KEY = "_main_chart_step_sent"  # the last step's part sent, by the chart's key

# How long a run that updated the chart in place waits before it sends the rest of the page. The browser's
# Streamlit calls the component only once React has committed the run's elements, and React commits only when
# the stream of messages pauses: with the rest of the page right behind it, the chart's update waited for all
# of it (52 ms from its message to the component's call, median of 20 steps; the line changed 201 ms after
# the key). Pausing 45 ms: 26 ms and 159 ms; 30 ms was not enough (58 ms, 249 ms), 60 ms no better than 45.
# Measured with ``python -m benchmarks.step_timeline``; README "Performance" has bench_browser's ratios.
# The cost: the rest of the page (chips, story, tables) arrives that much later. The run holds nothing while
# it waits (no lock, not the GIL), so the server meanwhile sends the chart's message.
DRAW_PAUSE_S = 0.05


def _resend(key: str) -> Callable[[], None]:
    """The page lacks the static part it was told it has (its element was mounted anew): send it again."""

    def forget() -> None:
        st.session_state.get(SENT_KEY, {}).pop(key, None)

    return forget


def main_chart(
    traces: list[dict],
    layout: dict,
    *,
    dark: bool,
    config: dict,
    alt: str,
    on_select: Callable[[], None],
    hover: LineHover | None = None,
    key: str = "chart",
    height: str | int = "stretch",
) -> bool:
    """Draw (or update in place) the figure ``figure.figure_spec`` built; a click on a marker calls ``on_select``
    with the event's id in ``st.session_state[key]["select"]``. ``hover``: the line's hover text in parts, for a
    figure built with ``line_hover=figure.IN_BROWSER`` (the page writes the text).

    True when the browser updates the chart in place: the page already had the static part and the step's part
    is new (see :func:`let_it_draw`)."""
    parts = chart_parts.split_figure(traces, layout, hover)
    version = chart_parts.static_version(parts, dark)
    sent = st.session_state.setdefault(SENT_KEY, {})
    data = {
        "version": version,
        "step": chart_parts.step_json(parts),
        "config": json.dumps(config, sort_keys=True),
        "alt": alt,
    }
    steps = st.session_state.setdefault(STEP_KEY, {})
    page_has_static = sent.get(key) == version
    in_place = page_has_static and steps.get(key) != data["step"]
    steps[key] = data["step"]
    if not page_has_static:
        data["static"] = chart_parts.static_json(parts, dark)
        sent[key] = version
    _COMPONENT(
        key=key,
        data=data,
        height=height,
        on_select_change=on_select,
        on_missing_change=_resend(key),
    )
    return in_place


def let_it_draw() -> None:
    """Pause so that the browser updates the chart before the rest of the run's elements arrive (``DRAW_PAUSE_S``).

    Call it after the chart (and what must show with it), before the rest of the page, in a run whose
    :func:`main_chart` returned True: a first draw or a new static part is not helped by it."""
    time.sleep(DRAW_PAUSE_S)


def selected_event(key: str = "chart") -> str | None:
    """The event a click on the chart selected (in its ``on_select`` callback)."""
    value = st.session_state.get(key)
    event_id = value.get("select") if value is not None else None
    return str(event_id) if event_id else None
