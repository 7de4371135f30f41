"""The controls: every setting of the registry (``components.settings``) as a widget.

Each widget's value lives in ``st.session_state`` under its setting's key
(the key the URL uses). The URL is read once when a session starts and
written back after every run, so a copied link always reproduces the view.
We do not use ``bind="query-params"``: a preset followed by per-weight
changes, clamping with a notice, and the model version need the one parser
that the command-line export shares.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitInvalidLayoutContextError

from components import settings, url_state
from components.codebook import Codebook
from components.settings import CUSTOM, Setting, ViewState
from components.text import md_escape

_STARTED = "_url_read"
_KEEP_ADDRESS = "_keep_address"
NOTICES = "_url_notices"
SELECTED_KEY = "ev"
OVERRIDES_KEY = "ov"


def this_year() -> int:
    return pd.Timestamp.today().year


def rows(codebook: Codebook) -> tuple[Setting, ...]:
    return settings.registry(codebook, this_year())


def _query_mapping() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params.keys()}


def init_from_url(codebook: Codebook) -> None:
    """On a session's first run, decode the URL into the widgets' state (once)."""
    if _STARTED in st.session_state:
        return
    query = _query_mapping()
    state, notices = url_state.decode(query, codebook, today_year=this_year())
    st.session_state[_STARTED] = True
    # No parameters: a plain visit, or a link Streamlit dropped (too many parameters). Either way the
    # first run leaves the address bar as it is, so the page's script can still read such a link.
    st.session_state[_KEEP_ADDRESS] = not query
    st.session_state[NOTICES] = notices
    apply(state, codebook)


def apply(state: ViewState, codebook: Codebook, only_model: bool = False, keys: set[str] | None = None) -> None:
    """Put a state's values into the widgets' session keys.

    The preset is not among them: it is read off the model each run (:func:`current_state`), so that
    no callback ever writes one widget's value because another moved (see ``sidebar``).
    """
    for setting in rows(codebook):
        if (
            (only_model and not setting.model)
            or setting.key == "preset"
            or (keys is not None and setting.key not in keys)
        ):
            continue
        st.session_state[setting.key] = settings.to_session(
            setting, settings.get(state, setting), codebook, this_year()
        )


def current_state(codebook: Codebook) -> ViewState:
    """The view as the session holds it now."""
    ss = st.session_state
    defaults = settings.defaults(codebook)
    missing = [s for s in rows(codebook) if s.key != "preset" and s.key not in ss]
    if missing:  # a widget Streamlit cleaned up (it was not drawn in a full run): back to its default, not a crash
        apply(defaults, codebook, keys={s.key for s in missing})
    values = {
        s: settings.from_session(s, ss[s.key], codebook, this_year()) for s in rows(codebook) if s.key != "preset"
    }
    state = settings.with_values(defaults, values)
    return replace(state, preset=settings.preset_matching(state, codebook))


PRESET_PICKS = "_preset_picks"  # how many times a preset was applied: the box's key, so it empties itself


def _on_preset(codebook: Codebook, key: str) -> None:
    preset = st.session_state.get(key)
    if preset in codebook.presets:
        apply(settings.model_of_preset(codebook, preset), codebook, only_model=True)
    st.session_state[PRESET_PICKS] = st.session_state.get(PRESET_PICKS, 0) + 1


def _on_reset(codebook: Codebook) -> None:
    apply(settings.defaults(codebook), codebook, only_model=True)


def _choice(setting: Setting, codebook: Codebook, **kwargs) -> None:
    labels = dict(setting.choice_labels)
    st.selectbox(
        setting.label,
        list(setting.choices),
        key=setting.key,
        help=setting.help or None,
        format_func=lambda v: labels.get(v, v),
        persist_state="session",
        **kwargs,
    )


WHO_ACTED = "who_acted"  # the sidebar's expander of actor weights (its sliders are drawn while it is open)
PAGE_FRAGMENT = "page"  # the key of the fragment a page may run its body in (the dashboard does)
IN_FRAGMENT = "_page_in_fragment"  # set each full run: does this page run in that fragment?


def _slider(setting: Setting, codebook: Codebook, **kwargs) -> None:
    if setting.kind == "choice":
        _choice(setting, codebook, **kwargs)
        return
    kwargs |= {"step": setting.step} if setting.kind == "number" else {}
    low, high = (
        (float(setting.low), float(setting.high)) if setting.kind == "number" else (int(setting.low), int(setting.high))
    )
    st.slider(
        setting.label,
        low,
        high,
        key=setting.key,
        help=setting.help or None,
        persist_state="session",  # drawn by the dashboard's fragment or by another page's run: one value
        **kwargs,
    )


def _preset_labels(codebook: Codebook) -> dict[str, str]:
    return {key: p.label for key, p in codebook.presets.items()} | {CUSTOM: "Custom"}


@dataclass(frozen=True)
class SidebarPlaces:
    """Where the model's controls go in the sidebar, made before the page runs and filled after the chart.

    On the dashboard its fragment fills them, last: a weight step is then one run of the fragment (a widget a
    fragment draws reruns that fragment, not the app), and the controls' messages follow the chart's. On the
    other pages the full run fills them after the page. ``caption``, between the preset box and the sliders,
    is filled by the page (:func:`weights_caption`): it follows every weight step.
    """

    head: Any
    caption: Any
    rest: Any


def sidebar_places() -> SidebarPlaces:
    with st.sidebar:
        return SidebarPlaces(st.container(), st.empty(), st.container())


def sidebar(codebook: Codebook, places: SidebarPlaces) -> None:
    """Draw the model's controls in their places (the values were read from the session before).

    Each keeps its value for the session (``persist_state``): the dashboard's fragment and the other pages'
    runs draw them from different scripts, which Streamlit counts as different widgets of the same key."""
    by_group: dict[str, list[Setting]] = {}
    for setting in rows(codebook):
        by_group.setdefault(setting.group, []).append(setting)
    preset, *weights = by_group["weights"]
    labels = _preset_labels(codebook)
    state = current_state(codebook)
    changed_actors = [s for s in by_group["actors"] if abs(settings.get(state, s) - 1.0) > 1e-9]
    with places.head:
        st.header("Weights")
        # One owner per value: the sliders own the model's settings; the preset box is a command that
        # applies a preset's model and then empties itself, and the preset the model matches is only shown.
        # Nothing writes a widget because another moved: a callback that wrote the box back when a weight
        # moved raced with the browser's queued reruns, which sent the old preset back as a fresh choice
        # and snapped the weights back (issue 17).
        key = f"preset_pick_{st.session_state.get(PRESET_PICKS, 0)}"
        st.selectbox(
            preset.label,
            [c for c in preset.choices if c != CUSTOM],
            index=None,
            placeholder="Apply a preset…",
            key=key,
            format_func=labels.get,
            on_change=_on_preset,
            args=(codebook, key),
            help=preset.help,
        )
    with places.rest:
        for setting in weights:
            _slider(setting, codebook)
        # Opens by itself when an actor weight is not 1, so no changed setting hides. Its sliders are drawn only
        # while it is open: a weight step then redraws 4 controls fewer (issue 28), and a slider not drawn keeps
        # its value (persist_state), so the model in use is the same open or closed (tests/test_app.py).
        who = st.expander(
            "Who acted" + (f" ({len(changed_actors)} changed)" if changed_actors else ""),
            expanded=bool(changed_actors),
            key=WHO_ACTED,
            on_change="rerun",
        )
        with who:
            st.caption(
                "Weigh events by who took them, on top of their category's weight: for example, "
                "set Moscow's to 0 to see the index NATO's own actions would give."
            )
            if who.open:
                for setting in by_group["actors"]:
                    _slider(setting, codebook)
        st.header("Memory and robustness")
        for setting in by_group["memory"]:
            _slider(setting, codebook)
        st.button(
            "Reset to defaults",
            on_click=_on_reset,
            args=(codebook,),
            width="stretch",
            help=f"Every model setting ({settings.model_names(codebook)}) back to the codebook's defaults.",
        )


def fill_outside(place, draw) -> None:
    """``draw(place)`` for a place the full run made outside the fragment now running; else run the whole app.

    A fragment rerun may write to such a place only if the fragment wrote to it in the last full run.
    When a full run is interrupted (a new step arrives) after it made its places but before the
    fragment reached this one, Streamlit refuses every later fragment rerun the write
    (``StreamlitInvalidLayoutContextError``), and each weight step would end in that error before the
    chart. One full run gives the place its slot again.
    """
    try:
        draw(place)
    except StreamlitInvalidLayoutContextError:
        st.rerun(scope="app")


def weights_caption(place, state: ViewState, codebook: Codebook) -> None:
    """Under the preset box: the preset the whole model matches now, or Custom."""
    place.caption(
        f"The weights now: **{_preset_labels(codebook)[state.preset]}**",
        help=f"The preset whose whole model ({settings.model_names(codebook)}) the settings match, or Custom.",
    )


def view_control(setting_key: str, codebook: Codebook, **kwargs) -> None:
    """One of the view's own controls (years, markers, comparison, eras), drawn where the page wants it."""
    setting = settings.by_key(codebook, this_year())[setting_key]
    if setting.kind == "year_range":
        st.slider(
            setting.label, int(setting.low), int(setting.high), key=setting.key, help=setting.help or None, **kwargs
        )
    elif setting.kind == "categories":
        st.multiselect(
            setting.label,
            list(setting.choices),
            key=setting.key,
            help=setting.help or None,
            format_func=codebook.category_labels.get,
            **kwargs,
        )
    elif setting.kind == "flag":
        st.toggle(setting.label, key=setting.key, help=setting.help or None, **kwargs)
    elif setting.kind == "choice":
        st.selectbox(setting.label, list(setting.choices), key=setting.key, help=setting.help or None, **kwargs)
    else:
        raise ValueError(f"no widget for setting {setting_key!r}")


def write_url(state: ViewState, codebook: Codebook) -> str:
    """Put the view's non-default settings in the address bar; return the query string.

    Written on every run, not only when the server's copy differs: a run that a quick change interrupts
    may have updated the server's copy without the browser's address following, and the next run would
    then see nothing to write (a stale link, issue 17).
    """
    if not st.session_state.pop(_KEEP_ADDRESS, False):
        st.query_params.from_dict(dict(url_state.encode_pairs(state, codebook)))
    return url_state.encode(state, codebook)


def show_notices() -> None:
    notices = st.session_state.get(NOTICES) or []
    if notices:
        # Escaped: a crafted link must not write markdown into the app's own warning.
        shown = [md_escape(str(n)) for n in notices[:10]]
        more = f" … and {len(notices) - 10} more" if len(notices) > 10 else ""
        st.warning(
            "Parts of this link could not be used as given: " + "; ".join(shown) + more, icon=":material/link_off:"
        )
