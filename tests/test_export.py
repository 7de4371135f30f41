"""The command-line export reproduces the app's numbers for any shared link."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from components import export
from components.codebook import load_codebook
from tests.conftest import main_chart_spec, plotly_array

ROOT = Path(__file__).resolve().parents[1]
QUERIES = [
    "",
    "w_military=2.5&hl=36",
    "preset=security&spread=0.6&cmp=default",
    "w_diplomacy=0&ov=1997-05-nato-russia-founding-act:-3",
    "hl=nan&w_military=99&junk=1",
    "a_ussr_russia=0.5&a_nato=2&cmp=security",
]


def rows(text: str) -> list[dict]:
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return list(csv.DictReader(io.StringIO(body)))


@pytest.mark.parametrize("query", QUERIES)
def test_export_matches_the_app(query):
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    for key, value in (p.split("=", 1) for p in query.split("&") if p):
        at.query_params[key] = value
    at.run()
    assert not at.exception
    spec = main_chart_spec(at)
    line = next(t for t in spec["data"] if t.get("name") in ("Index", "Your weights"))
    band = next((t for t in spec["data"] if t.get("name") == "band_high"), None)
    text, _ = export.export(query)
    table = rows(text)
    np.testing.assert_allclose([float(r["index"]) for r in table], plotly_array(line["y"]), rtol=0, atol=1e-9)
    if band is not None:
        np.testing.assert_allclose([float(r["band_high"]) for r in table], plotly_array(band["y"]), rtol=0, atol=1e-9)


def test_command_line_writes_the_file_and_reports_bad_settings(tmp_path):
    out = tmp_path / "index.csv"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "components.export",
            "--out",
            str(out),
            "--query",
            "https://example.streamlit.app/?w_military=2&hl=abc",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "hl=abc" in done.stderr and "not a finite number" in done.stderr
    text = out.read_text()
    assert text.startswith(f"# NATO-Russia Relations Index, model version {load_codebook().model_version}")
    assert "military=2" in text
    table = rows(text)
    assert table[0]["date"] == "1949-04"
    assert list(table[0]) == ["date", "index", "band_low", "band_high", "carried"]
    assert all(-10 <= float(r["index"]) <= 10 for r in table)


def test_the_app_download_is_the_export():
    from components.ui import widgets

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["hl"] = "30"
    at.run()
    assert any(b.proto.label.startswith("Index series, 1949–") for b in at.get("download_button"))
    offered = widgets.series_file(at.session_state["_page_context"])()
    assert offered == export.export("hl=30")[0]
    everything = widgets.series_file(at.session_state["_page_context"], all_years=True)()
    assert everything == export.export("hl=30", all_years=True)[0]


def test_the_series_file_keeps_its_context(dataset):
    """Issue 24: versions, the years shown, whether rescorings were used, and which months are carried."""
    text, _ = export.export("from=2000&to=2010&ov=1962-10-cuban-missile-crisis:-5")
    lines = text.splitlines()
    header = [line for line in lines if line.startswith("# ")]
    assert any(
        f"model version {dataset.codebook.model_version}, data version {dataset.codebook.data_version}" in h
        for h in header
    )
    assert any("1 event(s) rescored" in h for h in header) and any("2000-2010 (the years shown)" in h for h in header)
    table = list(csv.DictReader(line for line in lines if not line.startswith("# ")))
    assert table[0]["date"] == "2000-01" and table[-1]["date"] == "2010-12"
    assert {r["carried"] for r in table} == {"False"}  # all before the last coded event
    whole = list(
        csv.DictReader(line for line in export.export("", all_years=True)[0].splitlines() if not line.startswith("# "))
    )
    carried = [r["date"] for r in whole if r["carried"] == "True"]
    assert carried and carried[0] == "2026-04" and all(d > "2026-03" for d in carried)  # after the last coded month


def test_explain_on_the_command_line_adds_up_and_refuses_a_bad_month(tmp_path):
    text, _ = export.explain("", "2024-12", "2025-12")
    lines = text.splitlines()
    totals = [line for line in lines if line.startswith("# index 2024-12")][0]
    table = list(csv.DictReader(line for line in lines if not line.startswith("# ")))
    change = float(totals.split("change ")[1].split()[0])
    squash = float(totals.split("squash ")[1])
    assert sum(float(r["change"]) for r in table) + squash == pytest.approx(change, abs=1e-3)
    done = subprocess.run(
        [sys.executable, "-m", "components.export", "--out", "-", "--explain", "2025-13", "2026-01"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "YYYY-MM" in done.stderr
