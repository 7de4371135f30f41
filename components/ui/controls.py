"""The controls: presets, a weight per category, the half-life, the band's spread, reset;
and the view settings the dashboard page draws (years, categories shown, comparison, selection).

Widget values live in ``st.session_state`` under the keys the URL uses
(``components.url_state``). The URL is read once when a session starts and
written back after every run, so a copied link always reproduces the view.
We do not use ``bind="query-params"`` here: a preset followed by per-weight
changes, clamping with a notice, and the model version need the one parser
that the command-line export shares, and a bound parameter can't be read
back through ``st.query_params`` to tell the user what was wrong with it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import url_state
from components.codebook import Codebook
from components.url_state import ACTORS, ViewState, actor_key, weight_key

_STARTED = "_url_read"
NOTICES = "_url_notices"
PRESET_KEY = "preset"
HALF_LIFE_KEY = "hl"
SPREAD_KEY = "spread"
YEARS_KEY = "years"
CATEGORIES_KEY = "cats"
COMPARE_KEY = "cmp"
SELECTED_KEY = "ev"
OVERRIDES_KEY = "ov"
CUSTOM = "custom"
ACTOR_LABELS = {"nato": "NATO or its members", "ussr_russia": "Moscow", "both": "Both together", "other": "A third party"}


def this_year() -> int:
    return pd.Timestamp.today().year


def _query_mapping() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params.keys()}


def init_from_url(codebook: Codebook) -> None:
    """On a session's first run, decode the URL into the widgets' state (once)."""
    if _STARTED in st.session_state:
        return
    state, notices = url_state.decode(_query_mapping(), codebook, today_year=this_year())
    st.session_state[_STARTED] = True
    st.session_state[NOTICES] = notices
    _apply(state, codebook)


def _apply_model(state: ViewState, codebook: Codebook) -> None:
    """The sidebar's settings: weights (category and actor), preset, half-life, spread."""
    for category in codebook.category_keys:
        st.session_state[weight_key(category)] = float(state.weights[category])
    for actor in ACTORS:
        st.session_state[actor_key(actor)] = float(state.actor_weights.get(actor, 1.0))
    st.session_state[PRESET_KEY] = state.preset
    st.session_state[HALF_LIFE_KEY] = int(state.half_life_months)
    st.session_state[SPREAD_KEY] = float(state.spread)


def _apply(state: ViewState, codebook: Codebook) -> None:
    _apply_model(state, codebook)
    st.session_state[YEARS_KEY] = (state.year_from, state.year_to or this_year())
    st.session_state[CATEGORIES_KEY] = list(state.categories_shown or codebook.category_keys)
    st.session_state[COMPARE_KEY] = state.compare
    st.session_state[SELECTED_KEY] = state.selected
    st.session_state[OVERRIDES_KEY] = dict(state.overrides)


def current_state(codebook: Codebook) -> ViewState:
    """The view as the session holds it now."""
    ss = st.session_state
    year_from, year_to = ss[YEARS_KEY]
    shown = tuple(c for c in codebook.category_keys if c in ss[CATEGORIES_KEY])
    return ViewState(
        weights={c: round(float(ss[weight_key(c)]), 2) for c in codebook.category_keys},
        half_life_months=int(ss[HALF_LIFE_KEY]),
        spread=round(float(ss[SPREAD_KEY]), 2),
        preset=ss[PRESET_KEY],
        year_from=int(year_from),
        year_to=None if int(year_to) >= this_year() else int(year_to),
        categories_shown=None if len(shown) == len(codebook.category_keys) else shown,
        selected=ss[SELECTED_KEY],
        compare=ss[COMPARE_KEY],
        overrides=dict(ss[OVERRIDES_KEY]),
        actor_weights={a: round(float(ss[actor_key(a)]), 2) for a in ACTORS},
    )


def _on_preset(codebook: Codebook) -> None:
    preset = st.session_state[PRESET_KEY]
    if preset in codebook.presets:
        for category, weight in codebook.presets[preset].weights.items():
            st.session_state[weight_key(category)] = float(weight)


def _on_weight(codebook: Codebook) -> None:
    weights = {c: st.session_state[weight_key(c)] for c in codebook.category_keys}
    st.session_state[PRESET_KEY] = url_state.preset_matching(weights, codebook)


def _on_reset(codebook: Codebook) -> None:
    _apply_model(url_state.defaults(codebook), codebook)


def sidebar(codebook: Codebook) -> None:
    """Draw the model's controls in the sidebar."""
    options = list(codebook.presets) + [CUSTOM]
    labels = {key: p.label for key, p in codebook.presets.items()} | {CUSTOM: "Custom"}
    with st.sidebar:
        st.header("Weights")
        st.selectbox("Preset", options, key=PRESET_KEY, format_func=labels.get,
                     on_change=_on_preset, args=(codebook,),
                     help="A preset sets every category weight at once; moving a weight makes it Custom.")
        for key, category in codebook.categories.items():
            st.slider(category.label, url_state.WEIGHT_MIN, url_state.WEIGHT_MAX, step=url_state.WEIGHT_STEP,
                      key=weight_key(key), on_change=_on_weight, args=(codebook,), help=category.description)
        with st.expander("Who acted", key="actor_weights"):
            st.caption("Weigh events by who took them, on top of their category's weight: for example, "
                       "set Moscow's to 0 to see the index NATO's own actions would give.")
            for actor in ACTORS:
                st.slider(ACTOR_LABELS[actor], url_state.WEIGHT_MIN, url_state.WEIGHT_MAX,
                          step=url_state.WEIGHT_STEP, key=actor_key(actor))
        st.header("Memory and robustness")
        st.slider("Half-life of a shock (months)", url_state.HALF_LIFE_MIN, url_state.HALF_LIFE_MAX,
                  key=HALF_LIFE_KEY,
                  help="After this many months a shock keeps half its effect. Structural events do not fade.")
        st.slider("Sensitivity band spread (σ)", url_state.SPREAD_MIN, url_state.SPREAD_MAX,
                  step=url_state.SPREAD_STEP, key=SPREAD_KEY,
                  help="Each of the band's draws multiplies every weight by exp(σ·z), z standard normal. 0 hides the band.")
        st.button("Reset to defaults", on_click=_on_reset, args=(codebook,), width="stretch",
                  help="Weights (category and actor), preset, half-life and spread back to the codebook's defaults.")


def write_url(state: ViewState, codebook: Codebook) -> str:
    """Put the view's non-default settings in the address bar; return the query string."""
    pairs = url_state.encode_pairs(state, codebook)
    current = [(k, v) for k in st.query_params.keys() for v in st.query_params.get_all(k)]
    if current != pairs:
        st.query_params.from_dict(dict(pairs))
    return url_state.encode(state, codebook)


def show_notices() -> None:
    notices = st.session_state.get(NOTICES) or []
    if notices:
        st.warning("Parts of this link could not be used as given: " + url_state.describe(notices),
                   icon=":material/link_off:")
