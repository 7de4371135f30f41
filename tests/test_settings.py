"""The settings registry drives the codec, the controls and the docs: one row per setting."""

from __future__ import annotations

import pandas as pd
import pytest

from components import settings


def test_every_view_field_has_a_setting(codebook):
    rows = settings.registry(codebook)
    covered = {s.field.split(".")[0] for s in rows} | {"year_from", "year_to"}
    assert covered >= set(settings.state_fields())


def test_keys_are_unique_and_a_category_or_actor_is_one_codebook_entry(codebook):
    rows = settings.registry(codebook)
    keys = [k for s in rows for k in s.url_keys]
    assert len(keys) == len(set(keys))
    assert {s.key for s in rows if s.group == "weights" and s.key != "preset"} == {
        f"w_{c}" for c in codebook.category_keys
    }
    assert {s.key for s in rows if s.group == "actors"} == {f"a_{a}" for a in codebook.actor_keys}


def test_session_values_convert_back(codebook):
    state = settings.with_values(settings.defaults(codebook), {})
    for setting in settings.registry(codebook, 2026):
        value = settings.get(state, setting)
        back = settings.from_session(setting, settings.to_session(setting, value, codebook, 2026), codebook, 2026)
        assert back == value, setting.key


def test_a_preset_is_custom_once_any_model_setting_differs(codebook):
    base = settings.model_of_preset(codebook, "security")
    assert settings.preset_matching(base, codebook) == "security"
    moved = settings.with_values(base, {settings.by_key(codebook)["a_ussr_russia"]: 0.0})
    assert settings.preset_matching(moved, codebook) == "custom"
    longer = settings.with_values(base, {settings.by_key(codebook)["hl"]: 36})
    assert settings.preset_matching(longer, codebook) == "custom"


def test_comparisons_never_offer_the_same_model_twice(codebook):
    choices = settings.by_key(codebook)["cmp"].choices
    models = [settings.model_of_preset(codebook, c) for c in choices if c in codebook.presets]
    models.append(settings.defaults(codebook))
    keys = [(tuple(m.weights.values()), tuple(m.actor_weights.values()), m.half_life_months) for m in models]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    "shown, year, expected",
    [
        ((1990, 2000), 1985, (1985, 2000)),
        ((1990, 2000), 2010, (1990, 2010)),
        ((1990, 2000), 1995, None),  # shown already
        ((1990, 2000), 1947, (1949, 2000)),  # before the chart: its first year, never below the control's minimum
        ((1949, 2000), 1947, None),  # already from the first year: nothing to widen (the crash of issue 24)
        ((1990, 2000), 2062, (1990, 2026)),  # a mistyped future year: never past this year
        ((1990, 2026), 2062, None),
    ],
)
def test_widening_the_years_stays_within_the_control(shown, year, expected):
    assert settings.years_to_show(shown, year, this_year=2026) == expected


def test_every_shipped_events_year_widens_to_years_the_control_allows(dataset):
    """Issue 24: every event's 'show on the chart' (1947–48 included) must stay within the years control."""
    this_year = pd.Timestamp.today().year
    for shown in ((1949, this_year), (1990, 2000), (2020, this_year)):
        for year in dataset.events["date"].dt.year.unique():
            widened = settings.years_to_show(shown, int(year), this_year)
            if widened is not None:
                assert settings.YEAR_MIN <= widened[0] <= widened[1] <= this_year
                assert widened[0] <= max(int(year), settings.YEAR_MIN) and widened[1] >= min(int(year), this_year)


def test_the_registry_is_built_once_per_codebook_and_year(codebook):
    """Issue 25: one weight step rebuilt the registry eight times."""
    from components import url_state
    from components import view as view_module
    from components.dataset import load_dataset

    dataset = load_dataset()
    settings.registry(dataset.codebook, 2026)
    before = settings.BUILT["registries"]
    for step in range(5):  # what a weight step does: decode the link, compute the view, encode the link
        state, _ = url_state.decode(f"w_military={1 + step / 10}", dataset.codebook, today_year=2026)
        view_module.compute(dataset, state)
        url_state.encode(state, dataset.codebook)
        settings.by_key(dataset.codebook, 2026)
    assert settings.BUILT["registries"] - before <= 1  # at most the default year's registry, once
    assert settings.registry(dataset.codebook, 2026) is settings.registry(dataset.codebook, 2026)
