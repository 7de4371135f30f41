"""What every page needs, computed once per run in ``dashboard.py``."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from components.dataset import Dataset
from components.view import View


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


_KEY = "_page_context"


def publish(ctx: PageContext) -> None:
    """Make this run's context available to the page script (per session)."""
    st.session_state[_KEY] = ctx


def current() -> PageContext:
    return st.session_state[_KEY]
