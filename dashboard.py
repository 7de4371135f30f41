"""NATO–Russia Relations Index: the Streamlit entry point.

Set up the page, read the controls, compute the view, hand it to the page.
"""

import streamlit as st

from components import view as view_module
from components.ui import context, controls, data, user_data
from components.ui.context import PageContext

st.set_page_config(page_title="NATO–Russia Relations Index", page_icon=":material/public:", layout="wide")

dataset = data.shipped_dataset()
codebook = dataset.codebook
controls.init_from_url(codebook)
controls.sidebar(codebook)
user_data.sidebar(dataset)
user_data.absorb_editor_edits()
state = controls.current_state(codebook)
view = view_module.compute(dataset, state, user_data.assembled(dataset, state.overrides, state.coder))
query = controls.write_url(state, codebook)

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
context.publish(
    PageContext(
        dataset,
        view,
        query,
        base_url=st.context.url or "http://localhost:8501",
        dark=st.context.theme.type == "dark",
        pages=pages,
        compact="Mobi" in (st.context.headers.get("User-Agent") or ""),  # the usual mark of a phone's browser
        uploaded=user_data.upload_in_use(),
        edited=user_data.edited_count(),
    )
)
st.navigation(list(pages.values())).run()
