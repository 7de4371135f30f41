"""Shared fixtures: the codebook, the shipped dataset, and small synthetic event frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from components.codebook import load_codebook
from components.dataset import load_dataset
from components.events import COLUMNS


@pytest.fixture(scope="session")
def codebook():
    return load_codebook()


@pytest.fixture(scope="session")
def dataset():
    return load_dataset()


def make_events(*rows: dict) -> pd.DataFrame:
    """A typed events frame from short dicts: date, score and category are enough."""
    full = []
    for i, row in enumerate(rows):
        full.append(
            {
                "id": row.get("id", f"e{i}"),
                "date": pd.Timestamp(row["date"]),
                "date_precision": "day",
                "end_date": pd.NaT,
                "title": row.get("title", f"Event {i}"),
                "summary": "",
                "category": row.get("category", "diplomacy"),
                "score": float(row.get("score", 5)),
                "persistence": row.get("persistence", "shock"),
                "actor": row.get("actor", "both"),
                "rationale": "",
                "source_title": "",
                "source_url": "https://example.org/",
                "in_article": row.get("in_article", False),
                "confidence": "high",
                "weight": float(row.get("weight", 1.0)),
                "included": row.get("included", True),
            }
        )
    frame = pd.DataFrame(full)
    if frame.empty:
        frame = pd.DataFrame(columns=list(COLUMNS))
        frame["date"] = pd.to_datetime(frame["date"])
    return frame


def state_ending_after_the_last_event(events: pd.DataFrame) -> pd.DataFrame:
    """The shipped events before 1990 with a state of their own that ends in June 1995: an upload may end a
    state after its last event (issue 25)."""
    early = events[events["date"] < "1990-01-01"].assign(end_date=pd.NaT)
    state = early.iloc[[-1]].assign(
        id="test-standing-state",
        date=pd.Timestamp("1985-03-01"),
        end_date=pd.Timestamp("1995-06-30"),
        score=-4.0,
        persistence="state",
        ends="",
        suspends="",
        conflict="",
    )
    return pd.concat([early, state], ignore_index=True)


def plotly_array(value) -> np.ndarray:
    """A trace array from a figure's JSON: plotly 7 writes numbers as base64 typed arrays."""
    import base64

    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
    return np.asarray(value)


def move(at, key: str, value):
    """Set a sidebar control and let the app answer, then show the whole page again.

    A model control's change reruns only the dashboard's fragment (``components.ui.controls``), and
    AppTest builds its element tree from one run's messages: after a fragment rerun the sidebar,
    drawn by the full run, is missing from the tree (a browser keeps it). The second, unchanged run
    rebuilds the whole tree with the same state, so the next step can find every control.
    """
    at.sidebar.slider(key=key).set_value(value).run()
    assert not at.exception, at.exception
    at.run()
    return at


def view_of(dataset, query: str = ""):
    """The view a link's query string gives on the shipped data (today: 2026)."""
    from components import url_state
    from components import view as view_module

    state, _ = url_state.decode(query, dataset.codebook, today_year=2026)
    return view_module.compute(dataset, state)


def frame(view) -> pd.Series:
    """The view's index by month."""
    return pd.Series(view.series.index, index=view.series.months)


def main_chart_spec(at) -> dict:
    """The dashboard's main chart as AppTest got it: the chart component's static part joined with the last
    run's step (``components/ui/chart.py``), as {"data", "layout"} in plotly's JSON (numbers as typed arrays).

    The static part goes out only when the page lacks it; when the last run did not carry it, the app is told
    the page lacks it and runs again."""
    import json

    from components.ui import chart

    def data_of() -> dict:
        (element,) = [e for e in at.get("bidi_component") if e.proto.component_name == chart.COMPONENT_NAME]
        return json.loads(element.proto.json)

    data = data_of()
    if "static" not in data:
        at.session_state[chart.SENT_KEY] = {}
        at.run()
        data = data_of()
    static, step = json.loads(data["static"]), json.loads(data["step"])
    for i, moves in zip(step["traces"], step["data"]):
        static["data"][i].update(moves)
    layout = static["layout"]
    layout["title"]["subtitle"]["text"] = step["subtitle"]
    layout["annotations"] = layout["annotations"] + step["selected"]
    return static
