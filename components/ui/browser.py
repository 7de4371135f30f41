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


def install() -> None:
    st.html(f"<style>{_STYLE.read_text(encoding='utf-8')}</style>")
    st.html(f"<script>{_SCRIPT.read_text(encoding='utf-8')}</script>", unsafe_allow_javascript=True)
