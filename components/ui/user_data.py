"""Bring your own events: upload, edits, reset. Everything stays in this session's memory.

An upload is parsed from the bytes the browser sent and kept in
``st.session_state``; it is never written to the server's disk, and no other
session can see it. A bad file leaves the last good data in use.
"""

from __future__ import annotations

import streamlit as st

from components import edits as edits_module
from components.codebook import Codebook
from components.dataset import Dataset
from components.events import DatasetError, load_events
from components.text import md_escape
from components.ui import controls

UPLOADED = "_uploaded_events"  # (file_id, name, frame) of the last good upload
UPLOAD_ERROR = "_upload_error"
EDITS = "_event_edits"  # {event id: {column: value}} for category, weight, included
UPLOADER_GENERATION = "_uploader_generation"
EDITOR_GENERATION = "_editor_generation"
EDITOR_IDS = "_editor_ids"  # the event id of each row the editor shows
MODE_KEY = "upload_mode"
MODES = edits_module.MODES


def _read_upload(file, codebook) -> None:
    last = st.session_state.get(UPLOADED)
    if last is not None and last[0] == file.file_id:
        return
    try:
        frame = load_events(file.getvalue(), codebook)
    except DatasetError as err:
        st.session_state[UPLOAD_ERROR] = (file.file_id, file.name, err)
        kept = "your last good upload stays" if st.session_state.get(UPLOADED) else "the shipped events stay"
        # Said on the page the reader is on too, not only in the sidebar (a phone hides the sidebar).
        st.toast(
            f"{md_escape(file.name)} could not be used ({len(err.problems)} problem(s), listed in the sidebar); "
            f"{kept} in use.",
            icon=":material/error:",
        )
        return
    st.session_state[UPLOADED] = (file.file_id, file.name, frame)
    st.session_state[UPLOAD_ERROR] = None
    st.toast(f"Using {len(frame)} events from {md_escape(file.name)}.", icon=":material/upload_file:")


def sidebar(dataset: Dataset) -> None:
    """The upload controls, drawn in the sidebar."""
    generation = st.session_state.setdefault(UPLOADER_GENERATION, 0)
    with st.sidebar:
        st.header("Your events")
        with st.container(key="upload"):
            file = st.file_uploader(
                "Upload events (CSV)",
                type=["csv"],
                key=f"upload_file_{generation}",
                help="A CSV in the dataset's format (the Methodology page's section 'The events file', or "
                "download the template below). It stays in this browser session and is never saved on the server.",
            )
        st.download_button(
            "Template CSV",
            template_csv,
            file_name="nato-russia-events-template.csv",
            mime="text/csv",
            key="download_template",
            on_click="ignore",
            icon=":material/download:",
            help="The file format with two example rows taken from the shipped data.",
        )
        st.radio("Use the upload to", list(MODES), format_func=MODES.get, key=MODE_KEY, horizontal=False)
        if file is not None:
            _read_upload(file, dataset.codebook)
        error = st.session_state.get(UPLOAD_ERROR)
        if error is not None and file is not None and error[0] == file.file_id:
            kept = "your last good upload stays" if st.session_state.get(UPLOADED) else "the shipped events stay"
            st.error(
                f"Your file could not be used, so {kept} in use ({md_escape(error[1])}).\n\n"
                + "  \n".join(md_escape(line) for line in error[2].summary().split("\n")),
                icon=":material/error:",
            )
        uploaded = st.session_state.get(UPLOADED)
        if uploaded is not None:
            st.success(f"Using {len(uploaded[2])} events from {md_escape(uploaded[1])}", icon=":material/upload_file:")
        if uploaded is not None or st.session_state.get(EDITS) or st.session_state.get(controls.OVERRIDES_KEY):
            st.button(
                "Reset to the shipped data",
                on_click=reset,
                width="stretch",
                key="reset_data",
                help="Forget the upload and every edit and rescoring made in this session.",
            )


def reset() -> None:
    st.session_state[UPLOADED] = None
    st.session_state[UPLOAD_ERROR] = None
    st.session_state[EDITS] = {}
    st.session_state[controls.OVERRIDES_KEY] = {}
    st.session_state[UPLOADER_GENERATION] = st.session_state.get(UPLOADER_GENERATION, 0) + 1
    st.session_state[EDITOR_GENERATION] = st.session_state.get(EDITOR_GENERATION, 0) + 1


def assembled(dataset: Dataset, overrides, coder: str | None = None) -> edits_module.Assembled:
    """The events in use: upload, edits and the link's rescorings, combined by the one pure pipeline."""
    uploaded = st.session_state.get(UPLOADED)
    result = edits_module.assemble(
        dataset.events,
        dataset.codebook,
        uploaded=None if uploaded is None else uploaded[2],
        mode=st.session_state.get(MODE_KEY, "replace"),
        edits=st.session_state.get(EDITS) or {},
        overrides=overrides,
        coder=coder,
        codings=dataset.codings,
    )
    if result.clashes:
        with st.sidebar:
            st.warning(
                f"{len(result.clashes)} of your events have ids the shipped events already use, so they "
                "were left out. Choose “Update the events whose ids match” to use your versions of them.",
                icon=":material/warning:",
            )
            with st.expander("Which ids"):
                st.text("\n".join(result.clashes))
    elif uploaded is not None:
        summary = edits_module.summarise_changes(dataset.events, result.unscored)
        with st.sidebar:
            st.caption("Against the shipped data: " + str(summary), help="Events compared by id.")
            if summary.changed:
                with st.expander(f"What changed in {len(summary.changed)} events"):
                    st.text(
                        "\n".join(
                            f"{event_id}: {', '.join(fields)}"
                            for event_id, fields in list(summary.changed.items())[:200]
                        )
                    )
    return result


def record_edit(event_id: str, column: str, value, codebook: Codebook) -> None:
    """Keep one edit: a score becomes an override (it travels in the link); the rest stay in the session.

    Values are checked here too (the editor's own limits are the browser's, not the server's).
    """
    if column == "score":
        try:
            value = float(value)
        except (TypeError, ValueError):
            return
        if not (codebook.scale_min <= value <= codebook.scale_max):
            return
        st.session_state[controls.OVERRIDES_KEY] = {
            **st.session_state.get(controls.OVERRIDES_KEY, {}),
            event_id: float(value),
        }
    else:
        edits = dict(st.session_state.get(EDITS) or {})
        edits[event_id] = {**edits.get(event_id, {}), column: value}
        st.session_state[EDITS] = edits


def editor_key() -> str:
    return f"events_editor_{st.session_state.get(EDITOR_GENERATION, 0)}"


def absorb_editor_edits(codebook: Codebook) -> None:
    """Move the Events page editor's pending cell edits into the session's edits.

    Runs before the index is computed, so the chart answers an edit in the same
    run. The editor is then drawn afresh (a new key) with the edits as its data.
    """
    pending = st.session_state.get(editor_key())
    rows = (pending or {}).get("edited_rows") if isinstance(pending, dict) else None
    if not rows:
        return
    ids = st.session_state.get(EDITOR_IDS) or []
    for position, changes in rows.items():
        if int(position) >= len(ids):
            continue
        for column, value in changes.items():
            if column in edits_module.EDITABLE and value is not None:
                record_edit(ids[int(position)], column, value, codebook)
    st.session_state[EDITOR_GENERATION] = st.session_state.get(EDITOR_GENERATION, 0) + 1


def upload_in_use() -> bool:
    return st.session_state.get(UPLOADED) is not None


def edited_count() -> int:
    return len(st.session_state.get(EDITS) or {})


def template_csv() -> str:
    """The events file format: the shipped file's header and its first two rows, as an upload reads them."""
    from components.events import events_csv
    from components.ui.data import shipped_dataset

    return events_csv(shipped_dataset().events.head(2))
