"""The app's one script and stylesheet in the page (``assets/page.js``, ``assets/page.css``): what only the
browser can do, and the layout that depends on the screen's size.

It notices a link Streamlit dropped for having too many parameters, and makes a tap or a click on
the chart select the marker nearest the pointer. Our own fixed code; nothing from a user or a link
goes into it.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

_SCRIPT = Path(__file__).parent / "assets" / "page.js"
_STYLE = Path(__file__).parent / "assets" / "page.css"  # the layout a laptop, a projector and a wide screen get


def install_style() -> None:
    """The stylesheet, first in the run: a style-only ``st.html`` goes to Streamlit's event container (it takes
    no space), and the page's layout (the chart's frame, the stacked columns) then applies before the chart is
    first drawn, not after it (the chart drawn at one size and laid out again a moment later)."""
    st.html(f"<style>{_STYLE.read_text(encoding='utf-8')}</style>")


def install() -> None:
    """The page's script, last in the run."""
    st.html(f"<script>{_SCRIPT.read_text(encoding='utf-8')}</script>", unsafe_allow_javascript=True)
