"""The event table, shared by the Events page and the dashboard: search, filters, sorting, row selection."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from components import search
from components.dataset import eras_of
from components.text import safe_table
from components.ui import controls
from components.ui.context import PageContext


def event_table(ctx: PageContext) -> pd.DataFrame:
    codebook, events = ctx.dataset.codebook, ctx.view.events
    labels = codebook.category_labels
    return pd.DataFrame(
        {
            "id": events["id"],
            "date": events["date"]
            .dt.strftime("%Y-%m-%d")
            .where(events["date_precision"] == "day", events["date"].dt.strftime("%Y-%m")),
            "title": events["title"],
            "category": events["category"].map(labels).fillna(events["category"]),
            "score": events["score"],
            "persistence": events["persistence"],
            "era": eras_of(ctx.dataset.eras, events["date"]),
            "in article": events["in_article"],
            "confidence": events["confidence"],
            "summary": events["summary"],
            "source": events["source_url"].where(events["source_url"].str.match(r"^https?://"), None),
        }
    )


def filtered(ctx: PageContext, prefix: str) -> pd.DataFrame:
    """Search and filter controls (keys start with ``prefix``); the rows of the event table they keep."""
    table = event_table(ctx)
    c1, c2, c3, c4 = st.columns([3, 2, 2, 1])
    query = c1.text_input(
        "Search",
        key=f"{prefix}_search",
        placeholder="e.g. Berlin, expulsion, 2021-10",
        help="Finds every word in titles, summaries, rationales, sources, categories and actors; "
        "a year (2021) or a year-month (2021-10) finds the events of that period.",
    )
    cats = c2.multiselect("Category", sorted(table["category"].unique()), key=f"{prefix}_cats")
    eras = c3.multiselect("Era", [e for e in ctx.dataset.eras["name"]], key=f"{prefix}_eras")
    only_article = c4.toggle("In the article", key=f"{prefix}_article")
    shown = table
    if query:
        shown = shown[
            search.matches(ctx.view.events.set_index("id").loc[shown["id"]].reset_index(), query, ctx.dataset.codebook)
        ]
    if cats:
        shown = shown[shown["category"].isin(cats)]
    if eras:
        shown = shown[shown["era"].isin(eras)]
    if only_article:
        shown = shown[shown["in article"]]
    st.caption(f"{len(shown)} of {len(table)} events")
    return shown


def browse(ctx: PageContext, shown: pd.DataFrame, key: str, height: int = 560) -> bool:
    """The table, sortable by any column; choosing a row selects its event. True when a row is chosen."""
    st.session_state[f"{key}_ids"] = list(shown["id"])
    selection = st.dataframe(
        safe_table(shown),
        hide_index=True,
        key=key,
        on_select=functools.partial(_on_row_select, key),
        selection_mode="single-row",
        column_order=[
            "date",
            "title",
            "category",
            "score",
            "persistence",
            "era",
            "in article",
            "confidence",
            "summary",
            "source",
        ],
        column_config={
            "score": st.column_config.NumberColumn(format="%+g"),
            "source": st.column_config.LinkColumn(display_text="source"),
            "summary": st.column_config.TextColumn(width="large"),
        },
        height=height,
    )
    return bool(selection and selection.selection.rows)


def _on_row_select(key: str) -> None:
    """Runs before the script, so the chart drawn in the same run shows the chosen event."""
    state = st.session_state.get(key)
    rows = state.selection.rows if state is not None else []
    ids = st.session_state.get(f"{key}_ids") or []
    if rows and rows[0] < len(ids):
        st.session_state[controls.SELECTED_KEY] = ids[rows[0]]
