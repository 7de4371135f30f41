"""The dashboard page: title, notices, controls, chart, the event's story, why, sharing."""

import pandas as pd
import streamlit as st

from components import figure, wording
from components import view as view_module
from components.text import md_escape
from components.ui import chart, controls, data, event_table, widgets
from components.ui.context import build, model_controls


def _on_chart_select() -> None:
    """A click on a marker of the main chart selects its event (the component's "select" trigger)."""
    event_id = chart.selected_event("chart")
    if event_id:
        st.session_state[controls.SELECTED_KEY] = event_id


def _on_plotly_select() -> None:
    """The same, from st.plotly_chart's point selection (the old path, ``IN_PLACE_CHART = False``)."""
    selection = st.session_state.get("chart")
    points = (selection or {}).get("selection", {}).get("points", []) if selection else []
    for point in points:
        event_id = point.get("customdata")
        if isinstance(event_id, list):
            event_id = event_id[0] if event_id else None
        if event_id:
            st.session_state[controls.SELECTED_KEY] = str(event_id)
            return


def _view_controls(ctx) -> None:
    codebook = ctx.dataset.codebook
    compare_labels = view_module.comparison_labels(codebook)
    c1, c2, c3, c4 = st.columns([2, 3, 1.4, 1])
    with c1:
        controls.view_control("years", codebook, persist_state="session")
    with c2:
        controls.view_control("cats", codebook, persist_state="session")
    with c3:
        controls.view_control("cmp", codebook, format_func=compare_labels.get, persist_state="session")
    with c4:
        controls.view_control("eras", codebook, persist_state="session")


def _event_table(ctx) -> None:
    """The events as a table under the chart (the chart's text alternative); drawn only when opened."""
    expander = st.expander(
        "The events as a table: search, filter, sort, choose one to select it",
        key="events_under_chart",
        on_change="rerun",
    )
    if not expander.open:
        return
    with expander:
        shown = event_table.filtered(ctx, "dash_events")
        event_table.browse(ctx, shown, "dash_events_table", height=360)


def _heading(ctx, head: wording.Headline) -> None:
    codebook, view = ctx.dataset.codebook, ctx.view
    # On a laptop or a projector the headline value sits beside the title, so that it and the whole chart are
    # on the first screen (1280×720); on a phone it goes under the chart.
    title_col, headline_col = st.columns([2.8, 1], gap="medium") if not ctx.compact else (st.container(), None)
    with title_col:
        st.title("NATO–Russia Relations Index")
        st.caption(
            "A hand-scored monthly index of relations between NATO and Moscow (the Soviet Union, "
            f"from 1992 Russia), April 1949 to today: {codebook.scale_ends[0]} is war between them, "
            f"{codebook.scale_ends[1]} alliance. "
            "Move the weights in the sidebar to see how much the story depends on them."
        )
    if headline_col is not None:
        with headline_col:
            widgets.summary_metrics(head, codebook, brief=True)
    controls.show_notices()
    if view.unknown_overrides:
        st.warning(
            "This link rescores events that are not in the data in use, so those scores were not applied: "
            + ", ".join(md_escape(i) for i in view.unknown_overrides[:10]),
            icon=":material/link_off:",
        )


def _chart(ctx, head: wording.Headline) -> bool:
    """Draw the main chart; True when the browser updates it in place (see ``chart.let_it_draw``)."""
    codebook, view = ctx.dataset.codebook, ctx.view
    state = view.state
    markers = codebook.category_keys if state.categories_shown is None else state.categories_shown
    # The view's own frame when every category is shown: the figure keeps the markers' text by its identity.
    shown = (
        view.events
        if set(markers) >= set(codebook.category_keys)
        else view.events[view.events["category"].isin(markers)]
    )
    title, subtitle = wording.chart_title(view, codebook, compact=ctx.compact)
    options = figure.FigureOptions(
        dark=ctx.dark,
        date_range=(
            pd.Timestamp(f"{state.year_from}-01-01"),
            pd.Timestamp(f"{state.year_to}-12-31") if state.year_to else view.series.months[-1],
        ),
        selected_id=state.selected,
        comparison_label=view_module.comparison_legend_labels(codebook)[state.compare],
        show_eras=state.show_eras,
        data_end=head.data_end,
        data_end_label=wording.data_end_label(head),
        sources_end=codebook.sources_end_label,
        compact=ctx.compact,
        # On a phone the long line would run off the chart's edge; it goes under the chart there instead.
        source=""
        if ctx.compact
        else wording.source_line(view, codebook, ctx.share_url) + f" · {pd.Timestamp.today():%d %b %Y}",
        # On a laptop or a projector the chart takes the screen's height that is left (page.css sets its frame).
        height=520 if ctx.compact else None,
        title=title,
        subtitle=subtitle,
    )
    args = (view.series, shown, codebook.categories, options)
    kwargs = dict(
        band=view.band,
        comparison=view.comparison,
        eras=ctx.dataset.eras,
        scale_bands=codebook.bands,
    )
    config = {
        "displaylogo": False,
        # On a phone the toolbar is always shown (no hover) over the title's end: only the image button stays.
        **(
            {"modeBarButtonsToRemove": ["zoom2d", "pan2d", "zoomIn2d", "zoomOut2d", "autoScale2d", "resetScale2d"]}
            if ctx.compact
            else {}
        ),
        "toImageButtonOptions": {
            "format": st.session_state.get("image_format", "png"),
            "filename": ctx.file_stem,
            "scale": 2,
        },
    }
    if IN_PLACE_CHART:
        # The line's hover text is written in the page from its parts (a step sends each month's heaviest
        # event, not 230 KB of text).
        traces, layout = figure.figure_spec(*args, **kwargs, line_hover=figure.IN_BROWSER)
        # What st.plotly_chart's toolbar leaves out, left out here too.
        removed = ["lasso2d", "select2d", "sendChartToCloud", *config.get("modeBarButtonsToRemove", [])]
        return chart.main_chart(
            traces,
            layout,
            dark=ctx.dark,
            config={**config, "modeBarButtonsToRemove": removed, "responsive": False},
            alt=wording.describe(view, codebook),
            on_select=_on_chart_select,
            hover=view_module.line_hover_parts(view, codebook),
            key="chart",
            height="content" if ctx.compact else "stretch",
        )
    # The chart takes the page's width; the headline and the event's story sit under it.
    st.plotly_chart(
        figure.build_figure(*args, **kwargs, line_hover=view_module.line_hover(view, codebook)),
        key="chart",
        height="content" if ctx.compact else "stretch",
        on_select=_on_plotly_select,
        selection_mode="points",
        config=config,
        alt=wording.describe(view, codebook),
    )
    return False


# The main chart as a custom component updated in place (components/ui/chart.py); False: st.plotly_chart.
IN_PLACE_CHART = True
CHART_FRAME_HEIGHT = 560  # before page.css fits the frame to the screen (and where CSS is not applied)


def _chart_note(ctx) -> None:
    note, image = st.columns([5, 1.3])
    note.caption(
        "★ marks an event named in the source article. Click a marker for its story. "
        "Shaded grey: the uncertainty range (weights and scores). Drag to pan, zoom with the toolbar, "
        "double-click to reset."
    )
    image.segmented_control(
        "Camera icon saves",
        ["png", "svg"],
        key="image_format",
        default="png",
        format_func=str.upper,
        persist_state="session",
        help="The format of the image the chart's camera icon downloads.",
    )
    if ctx.compact:
        st.caption(md_escape(wording.source_line(ctx.view, ctx.dataset.codebook, ctx.share_url)))


def _story(ctx) -> None:
    """The selected event's story: beside the chart on a wide screen, under it otherwise."""
    with st.container(key="story"):
        widgets.choose_event(ctx)
        widgets.event_details(ctx, ctx.view.state.selected)


@st.fragment(key=controls.PAGE_FRAGMENT)
def dashboard() -> None:
    """The page's body. A weight step, a view control or a click on the chart reruns only this.

    The chart is drawn first although it shows second: the heading's container is made before it and
    filled after it, so the chart is among the first messages a rerun sends to the browser.
    """
    ctx = build()
    codebook, view = ctx.dataset.codebook, ctx.view
    head = wording.headline(view, codebook)  # once a run: the heading, the chart's note and the notes share it
    heading = st.container()
    if ctx.compact:
        in_place = _chart(ctx, head)
        chart_col, story_col = st.container(), None
    else:
        # The chart and the event's story side by side where the screen is wide enough (page.css stacks them
        # on a narrower one); the chart's frame is as tall as the screen leaves under the heading.
        chart_col, story_col = st.container(key="chart_row").columns([3, 1], gap="medium")
        with chart_col, st.container(key="chart_frame", height=CHART_FRAME_HEIGHT, border=False):
            in_place = _chart(ctx, head)
    with heading:
        _heading(ctx, head)
    if in_place:
        chart.let_it_draw()  # the chart and the headline first and alone, the rest of the page after
    with chart_col:
        # The view's controls go under the chart, so that the whole chart is on the first screen (a phone,
        # a 1280×720 projector); then what differs from the defaults, as chips that reset it.
        _view_controls(ctx)
        widgets.chips(wording.chips(view, codebook, uploaded=ctx.uploaded, edited=ctx.edited), codebook)
        _chart_note(ctx)
    if story_col is not None:
        with story_col:
            _story(ctx)
    for warning in wording.range_warnings(view, codebook):
        st.warning(warning.capitalize() + ".", icon=":material/warning:")
    if ctx.compact:
        widgets.summary_metrics(head, codebook)
        _story(ctx)
    else:
        widgets.headline_notes(head, codebook)
    _event_table(ctx)
    widgets.monthly_values(ctx)
    widgets.robustness(ctx)
    widgets.what_moved(ctx)
    widgets.decomposition(ctx)
    if view.comparison is not None:
        widgets.era_comparison(view_module.era_means(view, ctx.dataset.eras), view.comparison_label)
    widgets.share_and_download(ctx)
    model_controls()  # last: their messages follow the chart's, and moving one reruns this fragment alone
    data.trim_heap()  # at most once a minute, after the step's messages are out


dashboard()
