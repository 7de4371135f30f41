"""The README documents what a user can set: every URL key, every data column, both commands."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from components import settings
from components.events import COLUMNS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_url_key_is_documented(codebook):
    """Each row of the settings registry has a row in the README's table (a new setting can't go undocumented)."""
    for setting in settings.registry(codebook):
        if not setting.in_link:
            continue
        for key in setting.url_keys:
            generic = (
                {"weights": "`w_<category>`", "actors": "`a_<actor>`"}.get(setting.group)
                if setting.key.startswith(("w_", "a_"))
                else None
            )
            documented = (
                f"| `{key}`" in README
                or (generic is not None and f"| {generic}" in README)
                or f"`{key}`" in README.split("## The view in the URL")[1].split("\n## ")[0]
            )
            assert documented, f"URL key {key!r} is not in the README's table"


def test_every_data_column_is_documented():
    for column in COLUMNS:
        if column in ("weight", "included"):
            continue  # written by the app's export; described under "Your own events"
        assert f"`{column}`" in README, column


def test_the_two_commands_are_the_ones_ci_runs():
    assert "pip install -r requirements.txt && streamlit run dashboard.py" in README
    test_command = 'pip install -r requirements.txt && pip install -e ".[test]" && python -m pytest'
    assert test_command in README
    # CI runs the same steps, in the same order, inside a virtual environment it has just made.
    ci = (ROOT / ".ci" / "run").read_text()
    positions = [ci.index(step) for step in ["-m venv", *test_command.split(" && ")]]
    assert positions == sorted(positions)


def test_readme_screenshot_exists():
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (ROOT / image).is_file(), image


def test_readme_states_the_engine_defaults(codebook):
    engine = tomllib.loads((ROOT / "data" / "codebook.toml").read_text())["engine"]
    assert f"half-life *h* = {engine['half_life_months']:g} months" in README
    assert f"structural weight *k* = {engine['structural_weight']:g}" in README
    assert f"state weight *d* = {engine['state_weight']:g}" in README
    assert f"squash width *W* = {engine['squash_width']:g}" in README
    assert f"intensity exponent *p* = {engine['intensity']:g}" in README
    assert f"*b* = {engine['baseline']:g}".replace("-", "−") in README


def test_readme_states_the_validation_figures_the_code_computes(dataset):
    from components import url_state, validation
    from components import view as view_module

    state, _ = url_state.decode("", dataset.codebook, today_year=2026)
    import pandas as pd

    from components.engine import month_range

    # The README's figures are for the series as of December 2026 (the chance level rolls the whole series).
    months = month_range(pd.Timestamp("1949-04-01"), pd.Timestamp("2026-12-01"))
    table = view_module.validation(view_module.compute(dataset, state, months=months), validation.load_references())
    for row in table.itertuples():
        assert f"{row.key} ρ = {row.rho:+.2f} (chance {row.chance_95:+.2f})" in README, row.key


def test_readme_states_the_agreement_the_code_computes(dataset):
    from components import agreement

    result = agreement.summary(agreement.paired(dataset.events, dataset.codings, dataset.codebook), dataset.codebook)
    assert (
        f"α = {result['alpha_score']:.2f} for the score and {result['alpha_persistence']:.2f} for persistence"
        in README.replace("\n", " ")
    )


def test_the_readmes_url_table_is_the_one_the_registry_renders(codebook):
    """The table between the README's url-table markers is generated (python -m components.settings --url-table):
    a setting added, renamed or given new bounds changes it, and this test fails until the README is regenerated."""
    block = re.search(r"<!-- url-table:start[^>]*-->\n(.*?)\n<!-- url-table:end -->", README, re.S)
    assert block is not None, "the README has no url-table markers"
    assert block.group(1) == settings.url_table(codebook), (
        "the README's URL table differs from the registry's; regenerate it with "
        "`python -m components.settings --url-table`"
    )
