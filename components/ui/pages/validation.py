"""The Validation page: the index beside measures nobody on this project made, and how well they agree."""

import pandas as pd
import streamlit as st

from components import figure, validation
from components import view as view_module
from components.text import md_escape
from components.ui.context import build


@st.cache_data(show_spinner=False)
def references() -> list:
    return validation.load_references()


ctx = build()
view = ctx.view
st.title("Validation against outside measures")
st.markdown(
    "Four public series that measure something close to the state of relations between NATO and Moscow, made by "
    "people outside this project, drawn beside the index (each rescaled to its own range, its sign turned so that "
    "up means better relations). For each, **Spearman's ρ** compares the index's rank order with the series' at "
    "the series' own dates (the month of a monthly value, the year's mean for a yearly one), for the weights now "
    "in use. The **chance level** is the same ρ with the index shifted circularly out of step with history by 5 "
    "to 70 years: agreement means something only where ρ clearly beats the 95th percentile of those. The series "
    "were not used to choose the defaults (see the Methodology page)."
)
refs = references()
if not refs:
    st.info("No reference series are installed (data/references/).")
    st.stop()
table = view_module.validation(view, refs)
st.plotly_chart(figure.validation_figure(view.series, refs, dark=ctx.dark), key="validation_chart")
st.dataframe(
    table.drop(columns=["key"]),
    hide_index=True,
    key="validation_table",
    column_config={
        "values": st.column_config.NumberColumn("values compared", format="%d"),
        "rho": st.column_config.NumberColumn("ρ", format="%+.2f"),
        "chance_mean": st.column_config.NumberColumn("chance, mean", format="%+.2f"),
        "chance_95": st.column_config.NumberColumn("chance, 95th pct.", format="%+.2f"),
        "beats_chance": st.column_config.CheckboxColumn("beats chance"),
    },
)
index = pd.Series(view.series.index, index=view.series.months)
for reference, row in zip(refs, table.itertuples(), strict=True):
    with st.expander(f"{reference.label} — ρ {row.rho:+.2f} against chance {row.chance_95:+.2f}"):
        st.markdown(
            f"**Published by** {md_escape(reference.publisher)}. **Known confounds:** {md_escape(reference.confounds)}"
        )
        gaps = validation.largest_disagreements(index, reference)
        st.markdown("Where the two disagree most (rank percentiles; positive: the index ranks the date higher):")
        st.dataframe(
            gaps.assign(date=gaps["date"].dt.strftime("%Y-%m" if reference.dates == "month" else "%Y")),
            hide_index=True,
            key=f"gaps_{reference.key}",
            column_config={
                c: st.column_config.NumberColumn(format="%+.2f") for c in ("index_rank", "reference_rank", "gap")
            },
        )
        st.caption("Every value cites the page or file it was read from (data/references/).")
