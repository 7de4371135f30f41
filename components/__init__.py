"""The NATO–Russia Relations Index.

Pure modules (no streamlit): ``codebook``, ``events``, ``engine``, ``figure``,
``url_state``, ``export``. Streamlit modules live in ``components.ui``.
"""
