"""Page script run by st.navigation (a file, so that AppTest can switch to it)."""

from components.ui import page_dashboard
from components.ui.context import current

page_dashboard.show(current())
