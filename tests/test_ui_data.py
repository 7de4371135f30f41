"""Cached loading of the shipped data: an edited file is picked up, a broken edit keeps the last good data."""

from __future__ import annotations

import shutil
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import streamlit as st
from pathlib import Path
from components.ui import data
dataset = data.shipped_dataset(Path({path!r}))
st.write(f"events={{len(dataset.events)}}")
"""


def _count(at: AppTest) -> int:
    text = next(m.value for m in at.markdown if m.value.startswith("events="))
    return int(text.split("=")[1])


def test_edited_file_is_picked_up_and_a_broken_edit_keeps_the_last_good_data(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(ROOT / "data", data_dir)
    at = AppTest.from_string(SCRIPT.format(path=str(data_dir)), default_timeout=60)
    at.run()
    shipped = _count(at)
    events = data_dir / "events.csv"
    lines = events.read_text(encoding="utf-8").splitlines(keepends=True)
    events.write_text("".join(lines[:-1]), encoding="utf-8")  # a curator deletes the last event
    at.run()
    assert not at.exception
    assert _count(at) == shipped - 1
    events.write_text("".join(lines[:-1]) + "broken,not-a-date,,,,,\n", encoding="utf-8")
    at.run()
    assert not at.exception
    assert _count(at) == shipped - 1  # the last good version stays in use
    assert any("last good version" in e.value and "line" in e.value for e in at.error)


def test_the_heap_is_trimmed_at_most_once_a_minute():
    from components.ui import data

    data._last_trim = 0.0
    first = data.trim_heap(now=1000.0)
    assert data.trim_heap(now=1000.0 + data.TRIM_EVERY_S - 1) is False  # too soon
    assert data.trim_heap(now=1000.0 + data.TRIM_EVERY_S + 1) is first  # due again (True where glibc is there)
