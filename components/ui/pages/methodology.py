"""The Methodology page: the formula with the values in use, the scale, the categories, eras, presets, sources."""

import pandas as pd
import streamlit as st

from components import agreement, figure, panel, wording
from components import view as view_module
from components.dataset import coverage_by_kind, events_per_year
from components.text import md_escape
from components.ui import data
from components.ui.context import build

ctx = build()
codebook, params = ctx.dataset.codebook, ctx.view.params
st.title("Methodology")
st.markdown(
    f"Model version {codebook.model_version}. Each event is scored by hand on a scale from {codebook.scale_ends[0]} "
    f"(war between the parties) to {codebook.scale_ends[1]} (alliance), in the manner of the Goldstein conflict–cooperation scale. The index measures "
    "the *state* of the relationship: a *state* (a war, a blockade, an occupation, a suspended joint body, the "
    "division of Europe) holds its effect for as long as it lasts and stops when it ends, so the absence of news is "
    "not read as improvement; a *structural* event (a treaty in force, a joint body, an enlargement) changes the "
    "rules until a later row ends it, and the ending removes exactly its effect; a suspension switches the body it "
    "suspends off until it is resumed, and of the states of one conflict standing at once only the strongest "
    "counts; *shocks* (incidents, speeches, meetings) fade, "
    "losing half their effect every half-life. An event counts with its *intensity* rather than its score: the "
    "scale's steps are ordered, not measured, and with an exponent *p* above 1 one large event outweighs many "
    "small ones, so a month crowded with mid-sized news does not sink below a month on the brink of war "
    "(*Weight of large events* in the sidebar; 1 counts the scores themselves). The series is computed from the "
    "1947–49 rows, so April 1949 opens where the relationship stood, not at neutral. Model version 5 adds the "
    "month's terms of one sign as a norm (*μ*): one large term counts in full and each further one of the same "
    "sign adds less, so a war and the sanctions and suspensions around it do not stack past the brink of war, "
    "and an event's part of the index is its share of that norm (the shares add up exactly). Model version 6 "
    "counts the start of a state or a structural event as news as well: beside its standing term it adds a shock "
    "of its own in its month, fading like any other, so the month a wall goes up or a council is founded moves "
    "the line although a treaty's lasting weight is small. A smooth squash "
    f"keeps the result within ±{codebook.scale_max}."
)
st.subheader("The formula")
st.latex(view_module.formula_latex())
weights = ", ".join(f"{codebook.categories[c].label} {w:g}" for c, w in params.category_weights.items())
actors = ", ".join(f"{a.label} {ctx.view.state.actor_weights.get(k, 1.0):g}" for k, a in codebook.actors.items())
st.markdown(
    f"With the values now in use: intensity exponent *p* = {params.intensity:g} (a score of −9 counts "
    f"{-view_module.counted_as(params, -9):.2f}, one of −3 counts "
    f"{-view_module.counted_as(params, -3):.2f}); baseline *b* = {params.baseline:g}; structural weight *k* = "
    f"{params.structural_weight:g}; state weight *d* = {params.state_weight:g}; half-life *h* = {params.half_life_months:g} months (a shock keeps "
    f"{0.5 ** (1 / params.half_life_months):.3f} of its effect from one month to the next); squash width "
    f"*W* = {params.squash_width:g}; state half-life *H* = {params.state_half_life_months:g} months (∞: a state "
    f"holds in full while it stands); norm *μ* = {params.norm:g} (1: a plain sum); news of a start *o* = "
    f"{params.onset_weight:g} for a structural event and *o_s* = {params.state_onset_weight:g} for a state (0 and 0: "
    "model version 5); category weights *w*: "
    f"{weights}; actor weights *u*: {actors}. *s* is an "
    "event's score, *v* its own weight (1 unless edited), *m* its month, *S* the month its term stops (a row that "
    "ends it, or a state's end_date), and *P(t)* is 1 in the months it is paused (a standing suspension names it, "
    "or a stronger state of its conflict group stands); *n_e* is an event's weight as news: 1 for a shock, *o* "
    "or *o_s* for the start of a structural event or a state."
)
band = ctx.view.band
st.markdown(
    "**Uncertainty range (the grey band).** "
    + (
        f"{band.draws} draws, each multiplying every category weight by its own factor exp(σ·z) with "
        f"σ = {band.spread:g} and z standard normal, and adding to every event's score a normal error with "
        "sd = √(c² + (|A − B|/2)²): *c* by the row's confidence ("
        + ", ".join(f"{k} {v:g}" for k, v in codebook.engine.score_sd.items())
        + " points), *A* and *B* the two codings' scores. The score errors are drawn month by month from their "
        f"exact distribution. The band spans the {codebook.band_range_label} of the resulting indices in each "
        "month; it covers uncertainty in the weights and in the scores, not in which events are in the data. "
        "The random generator is seeded, so the same settings always draw the same band."
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
st.subheader("Shock, state or structural")
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
st.subheader("Who coded, and how well two codings agree")
pairs = agreement.paired(ctx.dataset.events, ctx.dataset.codings, codebook)
overall = agreement.summary(pairs, codebook)
st.markdown(
    "**Coding A** (the scores the index uses) was made by the project's coders while building the dataset "
    "(December 2026), each row from the page it cites, with the codebook. **Coding B** was made blind on "
    "1 December 2026 by two fresh instances of an AI language model (one for each half of the events, in random "
    "order), each handed only the codebook and each event's date, title, summary and source — not the first "
    "coding's scores, persistence or rationale. Both coders read the same codebook and summaries, which were "
    "written by coding A's side, so agreement measures how clearly the codebook and the summaries fix a score, "
    "not the independence of two historians."
)
st.markdown(
    f"Over {overall['events']:.0f} events, Krippendorff's α for the score (interval level) is "
    f"**{overall['alpha_score']:.2f}** ({agreement.reading(overall['alpha_score'])}) and for persistence "
    f"(nominal) **{overall['alpha_persistence']:.2f}** ({agreement.reading(overall['alpha_persistence'])}); "
    f"{overall['within_one']:.0%} of events are scored within ±1 point; {overall['differ_by_3_or_more']:.0f} differ "
    f"by 3 points or more and {overall['persistence_differs']:.0f} in persistence. Usual reading: α ≥ 0.8 good, "
    "0.667–0.8 tentative, below that not reliable (computed with the `krippendorff` package)."
)
c1, c2 = st.columns(2)
for column, label, holder in (("decade", "By decade", c1), ("category", "By category", c2)):
    table = agreement.by_group(pairs, column, codebook)
    if column == "category":
        table = table.rename(index=codebook.category_labels)
    holder.markdown(f"**{label}**")
    holder.dataframe(
        table[["events", "alpha_score", "alpha_persistence", "within_one"]],
        key=f"agree_{column}",
        column_config={
            "events": st.column_config.NumberColumn(format="%d"),
            "alpha_score": st.column_config.NumberColumn("α score", format="%.2f"),
            "alpha_persistence": st.column_config.NumberColumn("α persistence", format="%.2f"),
            "within_one": st.column_config.NumberColumn("within ±1", format="%.2f"),
        },
    )
st.subheader("What the defaults were calibrated against: a blind panel")
panel_rows = data.shipped_panel(codebook)
panel_table = panel.target(panel_rows)
index_now = pd.Series(ctx.view.series.index, index=ctx.view.series.months)
compared = panel.comparison(index_now, panel_table)
fit_now = panel.fit(index_now, panel_table)
recorded = codebook.panel_fit
st.markdown(
    "Three panelists each set a level on the scale above for every year from 1949 and for 21 crisis months, with "
    "a reason, working blind: they saw the scale, its anchors and public chronologies, never the index, the "
    "events' scores or each other's answers (data/panel.csv; the protocol is data/PANEL.md). They were helper "
    "sessions of one AI language model with different briefs, not independent historians, so their agreement "
    f"(Krippendorff's α = **{panel.alpha(panel_rows):.2f}**, interval) says how consistently one "
    "reader applies the scale. The target is their median. `python -m benchmarks.calibrate` chose the defaults "
    "on a grid of *p*, *h*, *H*, *μ*, *k*, *d*, *o*, *o_s* and *W* (it prints how many combinations) by their mean "
    "absolute error against it, refusing any line that fails a historian's first look: a month beyond ±9, a "
    "lowest Cold War month other than October 1962, one of the shape checks written before the calibration "
    "(README, *Method in brief*), or a line that news no longer moves in the war years. The grid's ranges were "
    "narrowed after exploratory runs on all the panel's years, which the cross-validation below does not see: "
    "its out-of-sample error is somewhat optimistic."
)
if recorded is not None:
    st.markdown(
        f"**How it generalises.** In {recorded.folds}-fold cross-validation over blocks of consecutive years "
        "(fit on the other blocks, score the held-out one), the error on years the fit did not see is "
        f"**{recorded.out_of_sample_mae:.2f} points** (Spearman ρ {recorded.out_of_sample_rho:.2f}); on all "
        f"years with the defaults, {recorded.in_sample_mae:.2f} (ρ {recorded.in_sample_rho:.2f}). With the "
        f"settings now in use the error is **{fit_now.mae:.2f}** (ρ {fit_now.rho:.2f}) over {fit_now.n} periods."
    )
st.plotly_chart(figure.panel_figure(compared, dark=ctx.dark), key="panel_chart")
worst = compared.reindex(compared["difference"].abs().sort_values(ascending=False).index).head(10)
st.markdown("Where the index, with the settings now in use, differs most from the panel:")
signed = lambda v: f"{v:+.1f}".replace("-", "−")  # noqa: E731
st.table(
    worst.assign(
        median=worst["median"].map(signed),
        range=[f"{signed(lo)} to {signed(hi)}" for lo, hi in zip(worst["low"], worst["high"])],
        index=worst["index"].map(signed),
        difference=worst["difference"].map(signed),
    ).set_index("period")[["median", "range", "index", "difference"]]
)
st.markdown(
    "The codebook's own reference points, written by its author before the panel, are kept as a readable "
    "subset (not fitted). *Index* is the mean over the period's months with the settings now in use:"
)
fit = view_module.calibration_fit(pd.Series(ctx.view.series.index, index=ctx.view.series.months), codebook)
st.table(
    fit.assign(
        target=fit["target"].map(lambda v: f"{v:+g}".replace("-", "−")),
        index=fit["index"].map(lambda v: f"{v:+.1f}".replace("-", "−")),
    ).set_index("period")[["months", "target", "index", "why"]]
)
st.subheader("Coverage and data version")
st.markdown(
    f"Data version **{codebook.data_version}** ({len(ctx.dataset.events)} shipped events; every revision "
    "is listed in CHANGELOG.md, the sweep that made the dataset complete in data/COVERAGE.md). "
    "Events per year by category, so you can see where the data is thin:"
)
st.bar_chart(events_per_year(ctx.dataset.events, codebook), height=260, stack=True)
st.markdown("Rows of each kind of event by decade (a kind is found by the words in the codebook's `[[kinds]]`):")
st.dataframe(coverage_by_kind(ctx.dataset.events, codebook), key="coverage_by_kind")
with st.expander("How each kind of event is scored"):
    st.markdown("\n".join(f"- **{md_escape(k.label)}.** {md_escape(k.scoring)}" for k in codebook.kinds))
st.markdown(
    "How events were selected: every item of the public lists in data/COVERAGE.md (NATO enlargements; "
    "the International Crisis Behavior crises with Moscow and a NATO member on opposite sides; the "
    "arms-control treaty record; NATO–Russia Council and PJC meetings, suspensions and resumptions; the "
    "missions and offices; incidents 2014–2026; 1947–49; and, in the second sweep, sanctions and expulsions, "
    "military incidents, summits and leaders' calls, prisoner exchanges, nuclear signalling, proxy wars and the "
    "months since March 2026) is a row or a line saying why not. The latest stored report found is of "
    f"{codebook.sources_end_label}; the last coded event is earlier (see the dashboard's headline). Known bias: "
    "the sources read are almost all in English and Western (NATO, US archives, Western newspapers); "
    "Russian sources appear mostly through TASS and Kremlin texts in English."
)
st.subheader("Sources")
st.markdown(
    "Every event cites a public page that its coder read (NATO's own pages, encyclopedias, government "
    "archives, news archives). Summaries and rationales are our own words. Where sources disagree on a "
    "date, the codebook's date rules choose, and the event's summary names the other date. Each row "
    "carries a confidence: high when sources agree, medium when a detail is disputed, low when the score "
    "is a judgement others could make differently."
)
st.subheader("The events file")
st.markdown(
    "An events CSV (the shipped `data/events.csv`, an upload, an export) has one row an event and these columns; "
    "only `id`, `date`, `title`, `summary`, `category`, `score` and `source_url` are required, the others take "
    "the defaults shown. The sidebar's *Template CSV* is a two-row example."
)
st.table(
    pd.DataFrame(wording.file_format(codebook), columns=["column", "required", "what", "default"]).set_index("column")
)
st.subheader("Adding an event")
st.markdown("\n".join(f"{i}. {md_escape(step)}" for i, step in enumerate(codebook.adding_steps, 1)))
