"""The floor: the least a Streamlit page can do to show what the dashboard's chart shows.

    streamlit run benchmarks/floor_app.py

One sidebar slider and one plotly chart: a line with one point a month from
April 1949 to this month (as many as the dashboard's index line) and one
marker trace with as many points as ``data/events.csv`` has rows. The slider
scales the line and the markers. Nothing else: no caching beyond the synthetic
data, no URL state, no other widgets. ``benchmarks/bench_browser.py`` measures
the dashboard against it, so the ratio says what the dashboard adds to
Streamlit's own cost of a rerun and a chart of this size.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

EVENTS_CSV = Path(__file__).resolve().parents[1] / "data" / "events.csv"
FIRST_MONTH = "1949-04-01"


@st.cache_data(show_spinner=False)
def synthetic_data(today: str) -> tuple[pd.DatetimeIndex, np.ndarray, pd.DatetimeIndex, np.ndarray]:
    """A smooth random line over the months, and marker dates and heights on it (seeded)."""
    with EVENTS_CSV.open(newline="", encoding="utf-8") as f:
        n_events = sum(1 for _ in csv.DictReader(f))
    months = pd.date_range(FIRST_MONTH, pd.Timestamp(today).to_period("M").to_timestamp(), freq="MS")
    rng = np.random.default_rng(1949)
    line = 10 * np.tanh(np.cumsum(rng.normal(0, 0.4, len(months))) / 10)
    marker_dates = pd.DatetimeIndex(np.sort(rng.choice(months.asi8, n_events)))
    marker_y = np.interp(marker_dates.asi8, months.asi8, line)
    return months, line, marker_dates, marker_y


scale = st.sidebar.slider("Scale", 0.0, 3.0, 1.0, step=0.1, key="scale")
months, line, marker_dates, marker_y = synthetic_data(pd.Timestamp.today().strftime("%Y-%m-%d"))
fig = go.Figure()
fig.add_trace(go.Scatter(x=months, y=np.clip(line * scale, -10, 10), mode="lines", name="Index"))
fig.add_trace(go.Scatter(x=marker_dates, y=np.clip(marker_y * scale, -10, 10), mode="markers", name="Events"))
fig.update_layout(height=620, yaxis={"range": [-10.5, 10.5]})
st.plotly_chart(fig, key="chart")
