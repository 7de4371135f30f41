"""The Events page: the dataset as a table, searchable and sortable, and the editor."""

import pandas as pd
import streamlit as st

from components.events import MAX_WEIGHT
from components.text import md_escape, neutralise
from components.ui import controls, event_table, user_data, widgets
from components.ui.context import build

ctx = build()
st.title("Events")
st.caption("Every event in the index, with its score and source. Choose a row to select the event on the chart.")
shown = event_table.filtered(ctx, "events")
browse_tab, edit_tab = st.tabs(["Browse", "Edit and export"])
with browse_tab:
    if event_table.browse(ctx, shown, "events_table"):
        chosen = shown[shown["id"] == st.session_state.get(controls.SELECTED_KEY)]
        if len(chosen):
            st.page_link(
                ctx.pages["dashboard"],
                label=f"Show “{md_escape(chosen['title'].iloc[0])}” on the chart",
                icon=":material/show_chart:",
            )
with edit_tab:
    codebook = ctx.dataset.codebook
    st.caption(
        "Rescore, recategorise, reweight or leave out events; the index follows at once. Score changes "
        "travel in the share link; the other edits stay in this session, so export the dataset to pass "
        "them on. “Reset to the shipped data” in the sidebar undoes everything."
    )
    events = ctx.view.events.set_index("id").loc[shown["id"]]
    frame = pd.DataFrame(
        {
            "included": events["included"].to_numpy(),
            "date": shown["date"].to_numpy(),
            # Read-only here, so shown formula-safe: the editor's toolbar "Download as CSV" writes what it shows.
            "title": events["title"].map(neutralise).to_numpy(),
            "category": events["category"].to_numpy(),
            "score": events["score"].to_numpy(),
            "weight": events["weight"].to_numpy(),
        }
    )
    st.session_state[user_data.EDITOR_IDS] = list(shown["id"])
    st.data_editor(
        frame,
        key=user_data.editor_key(),
        hide_index=True,
        height=480,
        disabled=["date", "title"],
        column_config={
            "included": st.column_config.CheckboxColumn("use", help="Leave unticked to leave the event out."),
            "category": st.column_config.SelectboxColumn(options=list(codebook.category_keys), required=True),
            "score": st.column_config.NumberColumn(
                min_value=codebook.scale_min, max_value=codebook.scale_max, step=1, required=True
            ),
            "weight": st.column_config.NumberColumn(
                min_value=0.0,
                max_value=MAX_WEIGHT,
                step=0.1,
                required=True,
                help="This event's own weight, on top of its category's.",
            ),
        },
    )
    st.download_button(
        "Export the dataset (CSV)",
        widgets.events_file(ctx),
        file_name="nato-russia-events-edited.csv",
        mime="text/csv",
        key="export_events",
        on_click="ignore",
        icon=":material/download:",
        help="Every event with your edits and rescoring, in the format the upload reads back.",
    )
