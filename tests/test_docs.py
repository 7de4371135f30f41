"""The README documents what a user can set: every URL key, every data column, both commands."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from components import url_state
from components.events import COLUMNS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_url_key_is_documented(codebook):
    state, _ = url_state.decode("", codebook)
    busy = url_state.ViewState(weights={c: 2.0 for c in codebook.category_keys}, half_life_months=30, spread=0.5,
                               preset="custom", year_from=1960, year_to=1990, categories_shown=("military",),
                               selected="x", compare="default", overrides={"x": 1.0},
                               actor_weights={a: 2.0 for a in url_state.ACTORS})
    keys = {k for k, _ in url_state.encode_pairs(busy, codebook)} | {"preset"}
    for key in keys:
        documented = (f"`{key}`" in README or (key.startswith("w_") and "`w_<category>`" in README)
                      or (key.startswith("a_") and "`a_<actor>`" in README))
        assert documented, f"URL key {key!r} is not in the README"


def test_every_data_column_is_documented():
    for column in COLUMNS:
        if column in ("weight", "included"):
            continue  # written by the app's export; described under "Your own events"
        assert f"`{column}`" in README, column


def test_the_two_commands_are_the_ones_ci_runs():
    assert "pip install -r requirements.txt && streamlit run dashboard.py" in README
    test_command = 'pip install -e ".[test]" && python -m pytest'
    assert test_command in README
    assert test_command in (ROOT / ".ci" / "run").read_text()


def test_readme_screenshot_exists():
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (ROOT / image).is_file(), image


def test_readme_states_the_engine_defaults(codebook):
    engine = tomllib.loads((ROOT / "data" / "codebook.toml").read_text())["engine"]
    assert f"half-life *h* = {engine['half_life_months']:g} months" in README
    assert f"structural weight *k* = {engine['structural_weight']:g}" in README
    assert f"squash width *W* = {engine['squash_width']:g}" in README
    assert f"baseline *b* = {engine['baseline']:g}".replace("-", "−") in README
