"""Loading the shipped dataset once per file version, and keeping the last good one."""

from __future__ import annotations

import gc
from pathlib import Path

import pandas as pd
import streamlit as st

from components import allocator, panel, paths
from components.dataset import Dataset, load_dataset
from components.events import DatasetError


def _fingerprint(data_dir: Path) -> tuple:
    """Modification times and sizes of the data files: an edited file is a new cache key."""
    return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in data_dir.iterdir() if p.is_file()))


@st.cache_data(show_spinner=False, max_entries=4)
def _load(data_dir: str, fingerprint: tuple) -> Dataset:
    return load_dataset(Path(data_dir))


@st.cache_data(show_spinner=False, max_entries=4)
def _load_panel(data_dir: str, fingerprint: tuple, _codebook) -> pd.DataFrame:
    return panel.load_panel(_codebook, Path(data_dir) / "panel.csv")


def shipped_panel(codebook, data_dir: Path = paths.DATA_DIR) -> pd.DataFrame:
    """The blind panel's levels (``components.panel``), read and checked once per file version."""
    return _load_panel(str(data_dir), _fingerprint(data_dir), codebook)


def shipped_dataset(data_dir: Path = paths.DATA_DIR) -> Dataset:
    """The validated shipped dataset; on a bad edit, the last good one and an error on the page."""
    try:
        dataset = _load(str(data_dir), _fingerprint(data_dir))
    except DatasetError as err:
        last_good = st.session_state.get("_last_good_dataset")
        st.error(f"The shipped data has errors, so the last good version is shown.\n\n{err.summary()}")
        if last_good is None:
            st.stop()
        return last_good
    st.session_state["_last_good_dataset"] = dataset
    return dataset


_heap_frozen = False


def freeze_heap_once() -> None:
    """After the process's first full run, move every live object out of the garbage collector's view.

    What is alive then (the modules, Streamlit, plotly, the cached dataset) stays alive for the life of
    the server, and Streamlit's full collection after every run (``runner.postScriptGC``) no longer walks
    it: it then takes about 0.3 ms in the dashboard's process instead of tens of milliseconds, while the
    run's messages wait for the GIL. The collection itself stays on: turned off, a 30-minute soak grew
    the server by 100 MiB (README, Performance).
    """
    global _heap_frozen
    if not _heap_frozen:
        _heap_frozen = True
        gc.collect()
        gc.freeze()


TRIM_EVERY_S = 60.0  # at most one trim a minute: it walks the allocator's free lists (a few ms)
_last_trim = 0.0


def trim_heap(now: float | None = None) -> bool:
    """Give freed memory back to the system (glibc's ``malloc_trim``), at most once a minute.

    A long session's runs free memory in chunks that glibc keeps for reuse; the server's resident size then
    rises in steps of a few MiB (a 30-minute soak: +4.3 MiB, flat between steps) without any object being
    alive. Trimming returns what is free. Where the C library is not glibc the call is skipped. Returns
    whether a trim ran.
    """
    import time

    global _last_trim
    now = time.monotonic() if now is None else now
    if now - _last_trim < TRIM_EVERY_S:
        return False
    _last_trim = now
    return allocator.give_back()
