"""Pieces of the dashboard page: metrics, the event panel, the decomposition, sharing and downloads."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from components import dataset as dataset_module
from components import export, figure, settings, wording
from components import robustness as robustness_module
from components import view as view_module
from components.codebook import Codebook
from components.text import is_web_url, link_target, md_escape, safe_table
from components.ui import controls
from components.ui.context import PageContext
from components.verdicts import badge

SAME_PLACE_SHOWN = 12  # buttons for the other events on the selected one's date; the rest are counted


def summary_metrics(headline: wording.Headline, codebook: Codebook, brief: bool = False) -> None:
    """The headline metric: the index in the last month shown, its change over twelve months, its level.

    ``brief``: the metric and its level only (beside the title); :func:`headline_notes` says the rest.
    """
    change = headline.change_12m
    # Keyed: the page's script announces this metric to screen readers when it changes (assets/page.js).
    st.container(key="headline").metric(
        f"Index, {headline.month:%B %Y}",
        f"{headline.value:+.1f}",
        delta=None if change is None else f"{change:+.1f} in 12 months",
        help="The index in the last month of the years shown, and its change over the twelve months before.",
    )
    if brief:
        st.caption(f"Level: **{headline.level}**")
    else:
        headline_notes(headline, codebook)


def headline_notes(headline: wording.Headline, codebook: Codebook) -> None:
    """The headline's level and range, and where the data end (the last coded event; months carried forward)."""
    band = headline.band
    st.caption(
        f"Level: **{headline.level}**"
        + (
            f" · {codebook.band_coverage:g}% of weight and score draws: {band[0]:+.1f} to {band[1]:+.1f}"
            if band is not None
            else ""
        )
    )
    note = wording.data_end_note(headline, codebook)
    if note is not None:
        st.caption(note)


def event_details(ctx: PageContext, event_id: str | None) -> None:
    """The selected event's story, or a hint when nothing is selected."""
    events = ctx.view.events
    row = events[events["id"] == event_id]
    if event_id is None or row.empty:
        if event_id is not None:
            st.info(f"No event with id {md_escape(event_id)} in this dataset.")
        st.info("Click a marker on the chart, or choose a row in the table under it, to read the event's story here.")
        return
    event = row.iloc[0]
    codebook = ctx.dataset.codebook
    with st.container(border=True, key="event_details"):
        if ctx.compact:  # a tap on a phone scrolls here (assets/page.js); this link scrolls back
            st.markdown("[↑ Back to the chart](#nri-chart)")
        date = event["date"].strftime("%d %B %Y" if event["date_precision"] == "day" else "%B %Y")
        st.markdown(f"**{md_escape(event['title'])}**")
        st.caption(date + (" · ★ in the source article" if event["in_article"] else ""))
        year, shown = int(event["date"].year), st.session_state.get("years")
        widened = None if shown is None else settings.years_to_show(tuple(shown), year, controls.this_year())
        if widened is not None:
            st.button(
                f"Outside the years shown ({shown[0]}–{shown[1]}): show {widened[0]}–{widened[1]} on the chart",
                key="show_event_year",
                on_click=_show_years,
                args=(widened,),
                icon=":material/zoom_out_map:",
            )
        elif not settings.YEAR_MIN <= year <= controls.this_year():
            st.caption(f"{year} is outside the chart's years ({settings.YEAR_MIN}–{controls.this_year()}).")
        st.markdown(md_escape(event["summary"]))
        category = codebook.categories.get(event["category"])
        label = category.label if category else event["category"]
        st.markdown(
            f"Score **{event['score']:+g}** · {md_escape(label)} · {md_escape(event['persistence'])} · "
            f"confidence {md_escape(event['confidence'])}"
        )
        if str(event.get("rationale", "")).strip():
            st.caption("Why this score: " + md_escape(event["rationale"]))
        claims = dataset_module.claims_about(ctx.dataset.claims, event["id"])
        for claim in claims.itertuples():
            st.caption(
                f"The source article: “{md_escape(claim.quote)}” {badge(codebook, claim.verdict)}"
                + (f" {md_escape(claim.correction)}" if claim.correction else "")
            )
        now = view_module.contribution_now(ctx.view, codebook, event["id"])
        shown = "none (it has faded or been ended)" if abs(now) < 0.005 else f"{now:+.2f}"
        held = view_module.held_month(ctx.view)
        since = "" if held == ctx.view.series.months[-1] else " (the last month with coded events; held since)"
        st.caption(f"Contribution to the index's raw level in {held:%B %Y}{since}: {shown}")
        title = md_escape(event["source_title"] or "source")
        if is_web_url(event["source_url"]):
            st.markdown(f"Source: [{title}]({link_target(event['source_url'])})")
        else:
            st.caption(f"Source: {title} (no web address)")
        here = dataset_module.same_place(ctx.view.events, event["id"])
        if len(here):
            st.caption(f"Also in {event['date']:%B %Y}, on or beside this marker:")
            # A bounded list: 5,000 uploaded events on one date made 5,000 buttons and a page that spun for 13 s.
            for other in here.head(SAME_PLACE_SHOWN).itertuples():
                st.button(
                    f"{other.date:%d %b}: " + md_escape(other.title),
                    key=f"same_place_{other.id}",
                    on_click=_select,
                    args=(other.id,),
                    type="tertiary",
                )
            if len(here) > SAME_PLACE_SHOWN:
                st.caption(
                    f"… and {len(here) - SAME_PLACE_SHOWN:,} more this month: type in *Choose an event*, or "
                    "filter the Events page by the date."
                )
        before, after = dataset_module.neighbours(ctx.view.events, event["id"])
        with st.container(horizontal=True, gap="small"):
            st.button(
                "← Previous event",
                key="previous_event",
                disabled=before is None,
                on_click=_select,
                args=(before,),
                help="The event before this one, in date order.",
            )
            st.button(
                "Next event →",
                key="next_event",
                disabled=after is None,
                on_click=_select,
                args=(after,),
                help="The event after this one, in date order.",
            )
            st.button("Clear selection", key="clear_selection", on_click=_select, args=(None,))


def _show_years(years: tuple[int, int]) -> None:
    """Show these years (``settings.years_to_show`` keeps them within the control's bounds)."""
    st.session_state["years"] = years


def _select(event_id: str | None) -> None:
    st.session_state[controls.SELECTED_KEY] = event_id


def choose_event(ctx: PageContext) -> None:
    """The keyboard route to an event: a searchable list of every event, in date order."""
    labels = view_module.event_choices(ctx.view.events)
    current = st.session_state.get(controls.SELECTED_KEY)
    st.selectbox(
        "Choose an event (type to search; the arrow keys move through the list)",
        list(labels),
        index=list(labels).index(current) if current in labels else None,
        placeholder="An event…",
        format_func=lambda i: labels.get(i, i),
        key=f"choose_event_{current}",
        on_change=lambda: _select(st.session_state.get(f"choose_event_{current}")),
    )


def monthly_values(ctx: PageContext) -> None:
    """The chart's monthly values as a table (the years shown), opened on demand."""
    expander = st.expander("The monthly values as a table", key="monthly_values", on_change="rerun")
    if not expander.open:
        return
    with expander:
        st.dataframe(
            view_module.monthly_table(ctx.view),
            hide_index=True,
            key="monthly_table",
            column_config={
                c: st.column_config.NumberColumn(format="%+.2f")
                for c in ("index", "range_low", "range_high", "comparison")
            },
        )


def what_moved(ctx: PageContext) -> None:
    """What moved the line between two months: a waterfall of the events' changes and the squash's share."""
    view, codebook = ctx.view, ctx.dataset.codebook
    expander = st.expander(
        "What moved the line between two months", expanded=False, key="what_moved", on_change="rerun"
    )
    if not expander.open:
        return
    with expander:
        shown = view_module.shown_months(view)
        labels = view.series.months[shown].strftime("%Y-%m").tolist()
        key = f"moved_{labels[0]}_{labels[-1]}"  # a new pair of ends when the years shown change
        start, end = st.select_slider("From and to", labels, value=(labels[0], labels[-1]), key=key)
        moved = view_module.what_moved(view, codebook, pd.Timestamp(start + "-01"), pd.Timestamp(end + "-01"))
        steps = view_module.movement_steps(moved)
        title = f"{moved.start:%b %Y} {moved.index_start:+.1f} → {moved.end:%b %Y} {moved.index_end:+.1f}"
        st.plotly_chart(figure.movement_figure(steps, moved.index_start, title, dark=ctx.dark), key="moved_chart")
        st.caption(
            f"The events' changes add up to the raw level's change ({moved.raw_end - moved.raw_start:+.2f}); "
            f"the squash 10·tanh(x/{view.params.squash_width:g}) adds {moved.squash_share:+.2f}, so the bars sum "
            f"to the index's change, {moved.change:+.2f}."
            + (
                f" After {moved.end:%B %Y}, the last coded month, the line holds its value."
                if pd.Timestamp(end + "-01") > moved.end
                else ""
            )
        )
        st.download_button(
            "What moved (CSV)",
            lambda: export.movement_csv(moved),
            file_name=f"what-moved-{moved.start:%Y-%m}-{moved.end:%Y-%m}.csv",
            mime="text/csv",
            key="download_moved",
            on_click="ignore",
            icon=":material/download:",
        )


def decomposition(ctx: PageContext) -> None:
    view, codebook = ctx.view, ctx.dataset.codebook
    months = view.series.months
    labels = months.strftime("%Y-%m").tolist()  # one vectorised call, not 880 strftime calls a run
    selected = view.events[view.events["id"] == view.state.selected]
    # The last month shown (not the series' last month): the decomposition explains what the reader sees.
    shown = view_module.shown_months(view)
    last_shown = labels[int(shown[-1])] if len(shown) else labels[-1]
    default = selected["date"].iloc[0].strftime("%Y-%m") if len(selected) else last_shown
    expander = st.expander("Why the index stands where it does", expanded=False, key="decomposition", on_change="rerun")
    if not expander.open:
        return  # computed only when a reader opens it: it is a third of a rerun's time
    with expander:
        chosen = st.select_slider(
            "Month", labels, value=default if default in labels else labels[-1], key=f"decomp_month_{default}"
        )
        result = view_module.decomposition(view, codebook, pd.Timestamp(chosen + "-01"))
        cat_labels = codebook.category_labels
        table = result.by_category.assign(category=result.by_category["category"].map(cat_labels))
        c1, c2 = st.columns([1, 1])
        with c1:
            fig = figure.decomposition_figure(table, result.month, dark=ctx.dark)
            st.plotly_chart(fig, key="decomposition_chart", config={"displayModeBar": False})  # it hid the title
            st.markdown(
                f"Baseline {result.baseline:+.2f} + events {result.raw - result.baseline:+.2f} "
                f"= raw level {result.raw:+.2f}; the squash 10·tanh(x/{view.params.squash_width:g}) "
                f"turns it into **{result.index:+.2f}** (squash effect {result.squash_effect:+.2f})."
            )
        with c2:
            top = result.events.head(10).assign(
                category=lambda f: f["category"].map(cat_labels), date=lambda f: f["date"].dt.strftime("%Y-%m-%d")
            )
            # The numbers first and the title last, so that at 1280 px the contribution is in view and only
            # long titles are cut (the full title is in the cell's tooltip).
            st.dataframe(
                safe_table(top[["contribution", "score", "date", "title", "category", "persistence"]]),
                hide_index=True,
                key="decomposition_events",
                column_config={
                    "contribution": st.column_config.NumberColumn(format="%+.2f", width="small"),
                    "score": st.column_config.NumberColumn(format="%+d", width="small"),
                    "date": st.column_config.TextColumn(width="small"),
                },
            )


def era_comparison(means: pd.DataFrame, other_label: str) -> None:
    """The era means of the two lines (``components.view.era_means``)."""
    if means.empty:
        return
    st.subheader("Mean by era")
    st.dataframe(
        means.rename(columns={"yours": "Your view", "other": other_label}),
        column_config={
            c: st.column_config.NumberColumn(format="%+.2f") for c in ["Your view", other_label, "difference"]
        },
        key="era_means",
    )


def share_and_download(ctx: PageContext) -> None:
    st.subheader("Share, cite, download")
    if ctx.uploaded or ctx.edited:
        st.warning(
            "This view uses your uploaded data or edits, which cannot travel in a link: whoever opens the "
            "link sees the shipped events (with the link's rescorings). To pass your data on, export it "
            "(Events page → Edit and export) and send the file with the link.",
            icon=":material/link_off:",
        )
    c1, c2 = st.columns([3, 2])
    with c1:
        # A text input, not st.code, in the page itself: the code viewer is a large bundle to load on every
        # visit. The value goes through session state: a keyed widget keeps its first value and ignores a
        # new ``value`` argument, so passing the link as ``value`` left a stale link after the first change.
        st.session_state["share_link"] = ctx.share_url
        st.text_input(
            "Share this view",
            key="share_link",
            help=settings.link_help(ctx.dataset.codebook),
        )
        # Drawn only when opened: there the code viewer's copy buttons copy with one click.
        expander = st.expander("Copy the link, or cite this view", key="cite_view", on_change="rerun")
        if expander.open:
            with expander:
                st.caption("The view's link")
                st.code(ctx.share_url, language=None, wrap_lines=True)
                for style, text in wording.citations(
                    ctx.view, ctx.dataset.codebook, ctx.share_url, dt.date.today()
                ).items():
                    st.caption(style)
                    st.code(text, language="latex" if style == "BibTeX" else None, wrap_lines=True)
                st.caption("Embed this view in a course page or an article (HTML)")
                st.code(wording.embed_snippet(ctx.share_url), language="html", wrap_lines=True)
    with c2:
        stem = ctx.file_stem
        # Callables: the files are made when a reader asks for them, not on every rerun.
        first, last = export.shown_years(ctx.view)
        for label, all_years, name, key in (
            (f"Index series, {first}–{last} (CSV)", False, f"{stem}-{first}-{last}.csv", "download_series"),
            ("Index series, every month (CSV)", True, f"{stem}-all.csv", "download_series_all"),
        ):
            st.download_button(
                label,
                series_file(ctx, all_years=all_years),
                file_name=name,
                mime="text/csv",
                width="stretch",
                key=key,
                on_click="ignore",
                icon=":material/download:",
                help="With the model and data versions, what changed the data, and which months are carried.",
            )
        st.download_button(
            "Events (CSV)",
            events_file(ctx),
            file_name="nato-russia-events.csv",
            mime="text/csv",
            width="stretch",
            key="download_events",
            on_click="ignore",
            icon=":material/download:",
        )
        st.caption("The chart as an image: the camera icon in its toolbar (PNG or SVG, as chosen under the chart).")


def series_file(ctx: PageContext, all_years: bool = False):
    """The index series download, made on demand: the same text as ``python -m components.export``, with what
    made it (versions, upload, edits) and the years shown, or every month."""
    view, query, version = ctx.view, ctx.query, ctx.dataset.codebook.data_version
    changes = [
        label for label, used in (("an upload", ctx.uploaded), (f"{ctx.edited} edit(s) in the app", ctx.edited)) if used
    ]
    sources = "shipped" if not changes else "shipped data changed by " + " and ".join(changes)
    years = None if all_years else export.shown_years(view)
    return lambda: export.series_csv(view, query, version, sources, years)


def events_file(ctx: PageContext):
    """The events in use (upload, edits and rescoring applied), made on demand."""
    events = ctx.view.events
    return lambda: export.events_csv(events)


def _reset_chip(keys: tuple[str, ...], codebook: Codebook) -> None:
    from components.ui import user_data  # imports this module's neighbour controls; here to avoid a cycle

    if "upload" in keys or "edits" in keys:
        user_data.reset()
        return
    defaults = settings.defaults(codebook)
    if "preset" in keys:  # the preset is read off the model: reset the model to the defaults
        controls.apply(defaults, codebook, only_model=True)
    # The others, one setting each (apply skips the preset). The fragment's rerun redraws the sidebar's
    # controls too, so they show the value in use.
    controls.apply(defaults, codebook, keys=set(keys))


def chips(found: list, codebook: Codebook) -> None:
    """A row of the settings that differ from the defaults, each a button that resets it."""
    if not found:
        return
    with st.container(horizontal=True, key="chips", gap="small"):
        st.caption("Differs from the defaults:")
        for i, chip in enumerate(found):
            st.button(
                md_escape(chip.text),
                key=f"chip_{i}_{'_'.join(chip.keys)}",
                icon=":material/close:",
                on_click=_reset_chip,
                args=(chip.keys, codebook),
                type="tertiary",
                help="Reset this setting to the codebook's default.",
            )


def robustness(ctx: PageContext) -> None:
    """How robust the view is, in words: computed when a reader opens it (it costs a second model)."""
    expander = st.expander("How robust is this view?", key="robustness", on_change="rerun")
    if not expander.open:
        return
    with expander:
        view = ctx.view
        draws = robustness_module.band_draws(view, ctx.dataset) if view.band is not None else None
        result = robustness_module.robustness(view, ctx.dataset, draws)
        said, warned = wording.robustness_sentences(result, ctx.dataset.codebook.scale_max)
        if said:
            st.markdown("; ".join(s[0].upper() + s[1:] if i == 0 else s for i, s in enumerate(said)) + ".")
        for warning in warned:
            st.warning(warning.capitalize() + ".")
        if view.band is None:
            st.caption("The uncertainty range is off (σ = 0), so no draws to compare with.")
