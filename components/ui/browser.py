"""The app's one script in the page (``assets/page.js``): what only the browser can do.

It notices a link Streamlit dropped for having too many parameters, and makes a tap or a click on
the chart select the marker nearest the pointer. Our own fixed code; nothing from a user or a link
goes into it.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

_SCRIPT = Path(__file__).parent / "assets" / "page.js"


def install() -> None:
    st.html(f"<script>{_SCRIPT.read_text(encoding='utf-8')}</script>", unsafe_allow_javascript=True)
