"""Keeping freed memory: the band's arrays are reused instead of faulted in again every weight step."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from components import allocator

ROOT = Path(__file__).resolve().parents[1]

# Twenty bands on the shipped data; prints the minor page faults of the last ten.
BANDS = """
import resource, sys
from components import allocator, engine
from components.dataset import load_dataset
from components.view import score_uncertainty
if sys.argv[1] == "keep":
    assert allocator.keep_freed_memory()
ds = load_dataset(); cb = ds.codebook
params = engine.Params.from_codebook(cb)
sd = score_uncertainty(ds.events, ds.codings, cb)
comp = engine.components(ds.events, params, cb.category_keys, engine.series_months(ds.events))
def band():
    engine.sensitivity_band(comp, params, cb.engine.band_spread, cb.engine.band_draws, (10.0, 90.0), events=ds.events, score_sd=sd)
for _ in range(10):
    band()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(10):
    band()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def faults(mode: str) -> int:
    run = subprocess.run([sys.executable, "-c", BANDS, mode], cwd=ROOT, capture_output=True, text=True, check=True)
    return int(run.stdout.split()[-1])


@pytest.mark.skipif(allocator.glibc() is None, reason="the C library is not glibc: keep_freed_memory does nothing")
def test_keeping_freed_memory_stops_the_band_faulting_its_pages_in_every_step():
    system, kept = faults("system"), faults("keep")
    assert system > 1000  # about 1,400 a band: each (draws × months) array mapped afresh
    assert kept < system / 20


def test_without_glibc_nothing_happens(monkeypatch):
    monkeypatch.setattr(allocator, "glibc", lambda: None)
    assert allocator.keep_freed_memory() is False and allocator.give_back() is False
