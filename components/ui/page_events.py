"""The events page: the dataset as a table, searchable and sortable; the chart's text alternative."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from components.dataset import eras_of
from components.events import MAX_WEIGHT
from components.ui import controls, user_data, widgets
from components.ui.context import PageContext


def event_table(ctx: PageContext) -> pd.DataFrame:
    codebook, events = ctx.dataset.codebook, ctx.view.events
    labels = codebook.category_labels
    return pd.DataFrame({
        "id": events["id"],
        "date": events["date"].dt.strftime("%Y-%m-%d").where(events["date_precision"] == "day",
                                                                events["date"].dt.strftime("%Y-%m")),
        "title": events["title"],
        "category": events["category"].map(labels).fillna(events["category"]),
        "score": events["score"],
        "persistence": events["persistence"],
        "era": eras_of(ctx.dataset.eras, events["date"]),
        "in article": events["in_article"],
        "confidence": events["confidence"],
        "summary": events["summary"],
        "source": events["source_url"].where(events["source_url"].str.match(r"^https?://"), None),
    })


def show(ctx: PageContext) -> None:
    st.title("Events")
    st.caption("Every event in the index, with its score and source. Choose a row to select the event on the chart.")
    shown = filtered(ctx, "events")
    browse_tab, edit_tab = st.tabs(["Browse", "Edit and export"])
    with browse_tab:
        if browse(ctx, shown, "events_table"):
            chosen = shown[shown["id"] == st.session_state.get(controls.SELECTED_KEY)]
            if len(chosen):
                st.page_link(ctx.pages["dashboard"], label=f"Show “{chosen['title'].iloc[0]}” on the chart",
                             icon=":material/show_chart:")
    with edit_tab:
        _edit(ctx, shown)


def filtered(ctx: PageContext, prefix: str) -> pd.DataFrame:
    """Search and filter controls (keys start with ``prefix``); the rows of the event table they keep."""
    table = event_table(ctx)
    c1, c2, c3, c4 = st.columns([3, 2, 2, 1])
    query = c1.text_input("Search titles and summaries", key=f"{prefix}_search", placeholder="e.g. Berlin")
    cats = c2.multiselect("Category", sorted(table["category"].unique()), key=f"{prefix}_cats")
    eras = c3.multiselect("Era", [e for e in ctx.dataset.eras["name"]], key=f"{prefix}_eras")
    only_article = c4.toggle("In the article", key=f"{prefix}_article")
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
    return shown


def browse(ctx: PageContext, shown: pd.DataFrame, key: str, height: int = 560) -> bool:
    """The table, sortable by any column; choosing a row selects its event. True when a row is chosen."""
    st.session_state[f"{key}_ids"] = list(shown["id"])
    selection = st.dataframe(
        shown, hide_index=True, key=key, on_select=functools.partial(_on_row_select, key),
        selection_mode="single-row",
        column_order=["date", "title", "category", "score", "persistence", "era", "in article", "confidence",
                      "summary", "source"],
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


EDIT_COLUMNS = ["included", "date", "title", "category", "score", "weight"]


def _edit(ctx: PageContext, shown: pd.DataFrame) -> None:
    codebook = ctx.dataset.codebook
    st.caption("Rescore, recategorise, reweight or leave out events; the index follows at once. Score changes "
               "travel in the share link; the other edits stay in this session, so export the dataset to pass "
               "them on. “Reset to the shipped data” in the sidebar undoes everything.")
    events = ctx.view.events.set_index("id").loc[shown["id"]]
    frame = pd.DataFrame({
        "included": events["included"].to_numpy(),
        "date": shown["date"].to_numpy(),
        "title": events["title"].to_numpy(),
        "category": events["category"].to_numpy(),
        "score": events["score"].to_numpy(),
        "weight": events["weight"].to_numpy(),
    })
    st.session_state[user_data.EDITOR_IDS] = list(shown["id"])
    st.data_editor(
        frame, key=user_data.editor_key(), hide_index=True, height=480, disabled=["date", "title"],
        column_config={
            "included": st.column_config.CheckboxColumn("use", help="Leave unticked to leave the event out."),
            "category": st.column_config.SelectboxColumn(options=list(codebook.category_keys), required=True),
            "score": st.column_config.NumberColumn(min_value=codebook.scale_min, max_value=codebook.scale_max,
                                                   step=1, required=True),
            "weight": st.column_config.NumberColumn(min_value=0.0, max_value=MAX_WEIGHT, step=0.1, required=True,
                                                    help="This event's own weight, on top of its category's."),
        })
    st.download_button("Export the dataset (CSV)", widgets.events_file(ctx),
                       file_name="nato-russia-events-edited.csv", mime="text/csv", key="export_events",
                       on_click="ignore", icon=":material/download:",
                       help="Every event with your edits and rescoring, in the format the upload reads back.")
