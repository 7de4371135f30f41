"""NATO–Russia Relations Index: the Streamlit entry point.

Set up the page, read the link, draw the sidebar, hand the frame to the page, which computes the view.
"""

import streamlit as st

from components.allocator import keep_freed_memory
from components.text import page_link
from components.ui import browser, context, controls, data, user_data

st.set_page_config(page_title="NATO–Russia Relations Index", page_icon=":material/public:", layout="wide")
keep_freed_memory()  # the band's arrays are reused, not faulted in again every step (components/allocator.py)
browser.install_style()  # before the page: the chart is first drawn in the layout the stylesheet gives it

dataset = data.shipped_dataset()
codebook = dataset.codebook
controls.init_from_url(codebook)

PAGES = "components/ui/pages/"
pages = {
    "dashboard": st.Page(
        PAGES + "dashboard.py", title="Dashboard", icon=":material/show_chart:", url_path="dashboard", default=True
    ),
    "events": st.Page(PAGES + "events.py", title="Events", icon=":material/table:", url_path="events"),
    "methodology": st.Page(
        PAGES + "methodology.py", title="Methodology", icon=":material/functions:", url_path="methodology"
    ),
    "validation": st.Page(
        PAGES + "validation.py", title="Validation", icon=":material/fact_check:", url_path="validation"
    ),
    "article": st.Page(
        PAGES + "article.py", title="About the source article", icon=":material/newspaper:", url_path="article"
    ),
}
page = st.navigation(list(pages.values()))
# The dashboard runs its body in a fragment: a weight step reruns the chart, not the app.
st.session_state[controls.IN_FRAGMENT] = page is pages["dashboard"]
# The model's controls: drawn after the chart, by the dashboard's fragment (one run a weight step) or after
# the other pages.
sidebar = controls.sidebar_places()
user_data.sidebar(dataset)
user_data.absorb_editor_edits(dataset.codebook)
context.set_frame(
    context.Frame(
        dataset,
        pages,
        # From the app's root and the page shown: '/dashboard' or a mistyped page name never reaches a shared link.
        base_url=page_link(st.context.url or "", page.url_path, st.get_option("server.baseUrlPath") or ""),
        dark=st.context.theme.type == "dark",
        compact="Mobi" in (st.context.headers.get("User-Agent") or ""),  # the usual mark of a phone's browser
        sidebar=sidebar,
    )
)
page.run()
if not st.session_state[controls.IN_FRAGMENT]:
    controls.sidebar(codebook, sidebar)
with st.sidebar:
    browser.install()
data.freeze_heap_once()
