"""The events page: the dataset as a table, searchable and sortable; the chart's text alternative."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.dataset import era_of
from components.ui import controls
from components.ui.context import PageContext


def event_table(ctx: PageContext) -> pd.DataFrame:
    codebook, events = ctx.dataset.codebook, ctx.view.events
    labels = {k: c.label for k, c in codebook.categories.items()}
    return pd.DataFrame({
        "id": events["id"],
        "date": events["date"].dt.strftime("%Y-%m-%d").where(events["date_precision"] == "day",
                                                                events["date"].dt.strftime("%Y-%m")),
        "title": events["title"],
        "category": events["category"].map(labels).fillna(events["category"]),
        "score": events["score"],
        "persistence": events["persistence"],
        "era": [era_of(ctx.dataset.eras, d) for d in events["date"]],
        "in article": events["in_article"],
        "confidence": events["confidence"],
        "summary": events["summary"],
        "source": events["source_url"].where(events["source_url"].str.match(r"^https?://"), None),
    })


def show(ctx: PageContext) -> None:
    st.title("Events")
    st.caption("Every event in the index, with its score and source. Choose a row to select the event on the chart.")
    table = event_table(ctx)
    c1, c2, c3, c4 = st.columns([3, 2, 2, 1])
    query = c1.text_input("Search titles and summaries", key="events_search", placeholder="e.g. Berlin")
    cats = c2.multiselect("Category", sorted(table["category"].unique()), key="events_cats")
    eras = c3.multiselect("Era", [e for e in ctx.dataset.eras["name"]], key="events_eras")
    only_article = c4.toggle("In the article", key="events_article")
    shown = table
    if query:
        needle = query.lower()
        shown = shown[shown["title"].str.lower().str.contains(needle, regex=False)
                      | shown["summary"].str.lower().str.contains(needle, regex=False)]
    if cats:
        shown = shown[shown["category"].isin(cats)]
    if eras:
        shown = shown[shown["era"].isin(eras)]
    if only_article:
        shown = shown[shown["in article"]]
    st.caption(f"{len(shown)} of {len(table)} events")
    selection = st.dataframe(
        shown, hide_index=True, key="events_table", on_select="rerun", selection_mode="single-row",
        column_order=["date", "title", "category", "score", "persistence", "era", "in article", "confidence",
                      "summary", "source"],
        column_config={
            "score": st.column_config.NumberColumn(format="%+d"),
            "source": st.column_config.LinkColumn(display_text="source"),
            "summary": st.column_config.TextColumn(width="large"),
        },
        height=560,
    )
    rows = selection.selection.rows if selection else []
    if rows:
        chosen = shown.iloc[rows[0]]["id"]
        if st.session_state.get(controls.SELECTED_KEY) != chosen:
            st.session_state[controls.SELECTED_KEY] = chosen
        st.page_link(ctx.pages["dashboard"], label=f"Show “{shown.iloc[rows[0]]['title']}” on the chart",
                     icon=":material/show_chart:", query_params=None)
