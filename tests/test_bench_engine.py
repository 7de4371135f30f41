"""The engine benchmark runs end to end on tiny sizes and reports every row and column (no timing asserts)."""

from __future__ import annotations

import json

import pytest

from benchmarks import bench_engine as bench


def test_benchmark_cases_run_on_tiny_sizes_and_fill_the_table(tmp_path):
    settings = bench.Settings(budget_s=0.0, min_repeats=1, max_repeats=1, memory=True, compare_allocator=False)
    rows = bench.run(sizes=(100, 200), month_multiples=(1, 2), months_scaling_size=100, settings=settings)

    keys = [(r["data"], r["events"], r["case"], r["months"]) for r in rows]
    shipped = [k for k in keys if k[0] == bench.SHIPPED]
    base_months = shipped[0][3]
    assert [k[2] for k in shipped] == [bench.INDEX, bench.BAND]
    assert [k for k in keys if k[0] == bench.SYNTHETIC] == [
        (bench.SYNTHETIC, n, case, len(bench.engine.month_range())) for n in (100, 200) for case in bench.CASE_NAMES
    ]
    assert [(k[1], k[2], k[3]) for k in keys if k[0] == bench.MONTHS] == [
        (100, case, m * len(bench.engine.month_range())) for m in (1, 2) for case in bench.CASE_NAMES
    ]
    assert 100 <= shipped[0][1] and 900 <= base_months

    for r in rows:
        assert set(bench.COLUMNS) <= set(r)
        assert r["repeats"] == 1 and r["median_ms"] > 0 and r["peak_mib"] >= 0 and r["ratio"] > 0
    base_rows = [r for r in rows if r["data"] == bench.SYNTHETIC and r["events"] == 100]
    base_rows += [r for r in rows if r["data"] == bench.MONTHS and r["months"] == len(bench.engine.month_range())]
    assert all(r["ratio"] == 1.0 for r in base_rows)
    assert [r["target_ms"] for r in rows if r["target_ms"] is not None] == [10.0]  # no 10^6 row at these sizes

    table = bench.format_table(rows)
    lines = table.splitlines()
    assert all(bench.HEADINGS[c] in lines[0] for c in bench.COLUMNS)
    assert sum(line.startswith(("shipped", "synthetic", "months")) for line in lines) == len(rows)

    out = tmp_path / "engine.json"
    bench.write_json(bench.results_document(rows, settings, 0.0), out)
    document = json.loads(out.read_text(encoding="utf-8"))
    assert document["columns"] == list(bench.COLUMNS) and len(document["rows"]) == len(rows)


def test_the_shipped_rows_are_measured_again_under_the_systems_allocator():
    settings = bench.Settings(budget_s=0.0, min_repeats=1, max_repeats=1, memory=False)
    rows = bench.shipped_rows_with_system_malloc(settings)
    assert [(r["data"], r["case"]) for r in rows] == [(bench.SHIPPED_SYSTEM, c) for c in bench.CASE_NAMES]
    assert all(r["median_ms"] > 0 and r["target_ms"] is None and r["pass"] is None for r in rows)


def test_the_soak_slope_is_the_least_squares_slope_of_the_second_half():
    from benchmarks import soak

    samples = [(0.0, 200.0), (60.0, 206.0), (120.0, 206.5), (180.0, 207.0), (240.0, 207.5)]
    half = soak.second_half(samples)
    assert [t for t, _ in half] == [120.0, 180.0, 240.0]  # from the middle of the run on
    assert soak.slope_mib_per_minute(half) == pytest.approx(0.5)
    assert soak.slope_mib_per_minute(samples) > 0.5  # the first minute's growth steepens the whole run's slope
