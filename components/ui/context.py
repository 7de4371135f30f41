"""What every page needs: the app's frame (set by each full run) and the view (computed by the page).

``dashboard.py`` sets the :class:`Frame` on every full run: the dataset, the pages, the browser's
address and theme, and where the sidebar's weights caption goes. A page calls :func:`build` first:
it reads the settings from the session, computes the view, writes the link and returns the
:class:`PageContext`. The dashboard calls it inside its fragment, so that a weight step reruns the
chart and what follows it, not the whole app.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st

from components import view as view_module
from components.dataset import Dataset
from components.ui import controls, user_data
from components.view import View


@dataclass(frozen=True)
class Frame:
    dataset: Dataset
    pages: dict  # page key → st.Page, for links between pages
    base_url: str  # the app's address as the browser sees it
    dark: bool
    compact: bool  # a phone (by its user agent): the chart drops what cannot fit in 390 px
    sidebar: Any = None  # where the model's controls go (controls.SidebarPlaces)


@dataclass(frozen=True)
class PageContext:
    dataset: Dataset
    view: View
    query: str  # the view's query string, without '?'
    base_url: str  # the app's address as the browser sees it
    dark: bool
    pages: dict  # page key → st.Page, for links between pages
    compact: bool = False  # a phone (by its user agent): the chart drops what cannot fit in 390 px
    uploaded: bool = False  # an upload is in use
    edited: int = 0  # events edited in the app (category, weight, inclusion)

    @property
    def share_url(self) -> str:
        return f"{self.base_url}?{self.query}" if self.query else self.base_url

    @property
    def file_stem(self) -> str:
        return "nato-russia-index-" + (self.view.state.preset or "custom")


_FRAME = "_page_frame"
_LAST = "_page_context"


def set_frame(frame: Frame) -> None:
    """This full run's frame, for the page's :func:`build` (and for its fragment's later reruns)."""
    st.session_state[_FRAME] = frame


def build() -> PageContext:
    """The view as the session's settings make it now, with the link written and the caption in step."""
    frame: Frame = st.session_state[_FRAME]
    codebook = frame.dataset.codebook
    state = controls.current_state(codebook)
    assembled = user_data.assembled(frame.dataset, state.overrides, state.coder)
    # A click on the chart, the years or the markers leave the series as they were: keep them.
    last = st.session_state.get(_LAST)
    if (
        last is not None
        and last.view.events is assembled.events
        and view_module.series_settings(last.view.state) == view_module.series_settings(state)
    ):
        view = view_module.with_state(last.view, state)
    else:
        view = view_module.compute(frame.dataset, state, assembled)
    query = controls.write_url(state, codebook)
    if frame.sidebar is not None:
        controls.fill_outside(frame.sidebar.caption, lambda place: controls.weights_caption(place, state, codebook))
    ctx = PageContext(
        frame.dataset,
        view,
        query,
        base_url=frame.base_url,
        dark=frame.dark,
        pages=frame.pages,
        compact=frame.compact,
        uploaded=user_data.upload_in_use(),
        edited=user_data.edited_count(),
    )
    st.session_state[_LAST] = ctx
    return ctx


def model_controls() -> None:
    """The model's controls in the sidebar, drawn by the page's fragment (see ``controls.SidebarPlaces``)."""
    frame: Frame = st.session_state[_FRAME]
    if frame.sidebar is not None:
        controls.fill_outside(frame.sidebar, lambda places: controls.sidebar(frame.dataset.codebook, places))
