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
) -> None:
    """Draw (or update in place) the figure ``figure.figure_spec`` built; a click on a marker calls ``on_select``
    with the event's id in ``st.session_state[key]["select"]``. ``hover``: the line's hover text in parts, for a
    figure built with ``line_hover=figure.IN_BROWSER`` (the page writes the text)."""
    parts = chart_parts.split_figure(traces, layout, hover)
    version = chart_parts.static_version(parts, dark)
    sent = st.session_state.setdefault(SENT_KEY, {})
    data = {
        "version": version,
        "step": chart_parts.step_json(parts),
        "config": json.dumps(config, sort_keys=True),
        "alt": alt,
    }
    if sent.get(key) != version:
        data["static"] = chart_parts.static_json(parts, dark)
        sent[key] = version
    _COMPONENT(
        key=key,
        data=data,
        height=height,
        on_select_change=on_select,
        on_missing_change=_resend(key),
    )


def selected_event(key: str = "chart") -> str | None:
    """The event a click on the chart selected (in its ``on_select`` callback)."""
    value = st.session_state.get(key)
    event_id = value.get("select") if value is not None else None
    return str(event_id) if event_id else None
