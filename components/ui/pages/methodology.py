"""The Methodology page: the formula with the values in use, the scale, the categories, eras, presets, sources."""

import pandas as pd
import streamlit as st

from components import view as view_module
from components.text import md_escape
from components.ui.context import current

ctx = current()
codebook, params = ctx.dataset.codebook, ctx.view.params
st.title("Methodology")
st.markdown(
    "Each event is scored by hand on a scale from −10 (war between the parties) to +10 (alliance), "
    "in the manner of the Goldstein conflict–cooperation scale. The index adds up the events up to each "
    "month: *structural* events shift the relationship's baseline for good; *shocks* fade, losing half "
    "their effect every half-life. A smooth squash keeps the result within ±10."
)
st.subheader("The formula")
st.latex(view_module.formula_latex())
weights = ", ".join(f"{codebook.categories[c].label} {w:g}" for c, w in params.category_weights.items())
actors = ", ".join(f"{a.label} {ctx.view.state.actor_weights.get(k, 1.0):g}" for k, a in codebook.actors.items())
st.markdown(
    f"With the values now in use: baseline *b* = {params.baseline:g}; structural weight *k* = "
    f"{params.structural_weight:g}; half-life *h* = {params.half_life_months:g} months (a shock keeps "
    f"{0.5 ** (1 / params.half_life_months):.3f} of its effect from one month to the next); squash width "
    f"*W* = {params.squash_width:g}; category weights *w*: {weights}; actor weights *u*: {actors}. *s* is an "
    "event's score, *v* its own weight (1 unless edited), *m* its month."
)
band = ctx.view.band
st.markdown(
    "**Sensitivity band.** "
    + (
        f"{band.draws} draws, each multiplying every category weight by its own factor exp(σ·z) with "
        f"σ = {band.spread:g} and z standard normal; the band spans the {codebook.band_range_label} of the "
        "resulting indices in each month. The random generator is seeded, so the same settings always draw "
        "the same band."
        if band is not None
        else "Off (σ = 0)."
    )
)
st.subheader("The scale")
st.markdown(md_escape(codebook.scale_description))
# st.table wraps long text, so every anchor can be read in full.
st.table(
    pd.DataFrame(
        [(f"{a.score:+d}", a.label, a.meaning, a.examples) for a in codebook.anchors],
        columns=["score", "anchor", "meaning", "examples"],
    ).set_index("score")
)
st.markdown("Bands on the chart: " + "; ".join(f"**{b.name}** {b.low:+g} to {b.high:+g}" for b in codebook.bands))
st.subheader("Categories and default weights")
st.table(
    pd.DataFrame(
        [(c.label, f"{c.weight:g}", c.description) for c in codebook.categories.values()],
        columns=["category", "default weight", "what it covers"],
    ).set_index("category")
)
st.subheader("Presets")
st.table(
    pd.DataFrame(
        [
            (p.label, p.description, ", ".join(f"{codebook.categories[c].label} {w:g}" for c, w in p.weights.items()))
            for p in codebook.presets.values()
        ],
        columns=["preset", "idea", "weights"],
    ).set_index("preset")
)
st.subheader("Shock or structural")
st.markdown(md_escape(codebook.persistence_description))
st.subheader("Dates")
st.markdown("\n".join(f"- {md_escape(rule)}" for rule in codebook.date_rules))
st.subheader("Eras")
eras = ctx.dataset.eras
if len(eras):
    st.dataframe(
        eras.assign(
            start=eras["start"].dt.strftime("%Y-%m-%d"), end=eras["end"].dt.strftime("%Y-%m-%d").fillna("today")
        )[["name", "start", "end", "description", "source_url"]],
        hide_index=True,
        key="eras",
        column_config={"source_url": st.column_config.LinkColumn("source", display_text="source")},
    )
st.subheader("Sources")
st.markdown(
    "Every event cites a public page that its coder read (NATO's own pages, encyclopedias, government "
    "archives, news archives). Summaries and rationales are our own words. Where sources disagree on a "
    "date, the codebook's date rules choose, and the event's summary names the other date. Each row "
    "carries a confidence: high when sources agree, medium when a detail is disputed, low when the score "
    "is a judgement others could make differently."
)
st.subheader("Adding an event")
st.markdown("\n".join(f"{i}. {md_escape(step)}" for i, step in enumerate(codebook.adding_steps, 1)))
