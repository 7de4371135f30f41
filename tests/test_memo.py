"""What a weight step does not change is kept by the identity of the events, and a kept result is exactly
the one a fresh computation gives."""

from __future__ import annotations

import gc
from dataclasses import replace

import numpy as np
import pytest

from components import settings
from components import view as view_module
from components.memo import IdentityMemo


def _arrays(view):
    out = [view.series.raw, view.series.index, view.band.low, view.band.high]
    return out + ([] if view.comparison is None else [view.comparison.index])


def test_a_weight_step_reuses_the_components_and_gives_the_same_numbers_as_a_fresh_computation(dataset):
    state = settings.defaults(dataset.codebook)
    stepped = replace(state, weights={**state.weights, "military": state.weights["military"] + 0.1})
    view_module._COMPONENTS.clear()
    view_module._UNCERTAINTY.clear()
    view_module.compute(dataset, state)
    kept = view_module.compute(dataset, stepped)
    assert (view_module._COMPONENTS.hits, view_module._UNCERTAINTY.hits) == (1, 1)  # the step recomputed neither
    view_module._COMPONENTS.clear()
    view_module._UNCERTAINTY.clear()
    fresh = view_module.compute(dataset, stepped)
    for a, b in zip(_arrays(kept), _arrays(fresh), strict=True):
        np.testing.assert_array_equal(a, b)  # bit for bit


def test_a_change_the_components_depend_on_is_a_miss(dataset):
    state = settings.defaults(dataset.codebook)
    view_module._COMPONENTS.clear()
    first = view_module.compute(dataset, state)
    slower = view_module.compute(dataset, replace(state, half_life_months=state.half_life_months + 6))
    assert view_module._COMPONENTS.misses == 2
    assert not np.array_equal(first.series.index, slower.series.index)
    edited = dataset.events.copy()  # the same contents in a new frame: not the same object, so computed again
    view_module.compute(replace(dataset, events=edited), state)
    assert view_module._COMPONENTS.misses == 3


def test_a_kept_result_refuses_a_write(dataset):
    view = view_module.compute(dataset, settings.defaults(dataset.codebook))
    with pytest.raises(ValueError, match="read-only"):
        view.components.positive[0, 0] = 1.0


class Frame:  # anything weak-referenceable stands for an events frame
    pass


def test_an_entry_is_used_only_while_its_object_is_alive_and_the_same():
    memo = IdentityMemo(size=2)
    a, b = Frame(), Frame()
    assert memo.get(a, "k", lambda: 1) == 1
    assert memo.get(a, "k", lambda: 2) == 1  # kept
    assert memo.get(a, "other key", lambda: 3) == 3
    assert memo.get(b, "k", lambda: 4) == 4  # another object: its own entry (and the oldest entry is dropped)
    assert memo.get(a, "k", lambda: 5) == 5
    del b
    gc.collect()
    c = Frame()
    # Whether or not c took b's address, b's entry is not c's: the weak reference says b is gone.
    assert memo.get(c, "k", lambda: 6) == 6
    assert (memo.hits, memo.misses) == (1, 5)


def test_a_click_does_not_format_the_line_hover_again_and_it_is_the_one_a_fresh_view_gives(dataset):
    codebook = dataset.codebook
    view = view_module.compute(dataset, settings.defaults(codebook))
    first = view_module.line_hover(view, codebook)
    clicked = view_module.with_state(view, replace(view.state, selected="e001", year_from=1990))
    assert view_module.line_hover(clicked, codebook) is first
    fresh = view_module._line_hover(view_module.compute(dataset, settings.defaults(codebook)), codebook)
    np.testing.assert_array_equal(first, fresh)


def test_the_markers_text_is_kept_for_the_same_events_and_is_what_a_fresh_build_gives(dataset):
    from components import figure

    codebook = dataset.codebook
    view = view_module.compute(dataset, settings.defaults(codebook))
    figure._MARKER_TEXT.clear()
    options = figure.FigureOptions()
    first = figure.marker_points(view.series, view.events, codebook.categories, options)
    again = figure.marker_points(view.series, view.events, codebook.categories, options)
    assert again.hover is first.hover and figure._MARKER_TEXT.hits == 1
    fresh = figure.marker_points(view.series, view.events.copy(), codebook.categories, options)
    assert figure._MARKER_TEXT.misses == 2  # a new frame: formatted again
    np.testing.assert_array_equal(first.hover, fresh.hover)
    np.testing.assert_array_equal(first.x, fresh.x)


def test_the_list_of_events_is_kept_for_the_same_events_and_is_in_date_order(dataset):
    codebook = dataset.codebook
    view = view_module.compute(dataset, settings.defaults(codebook))
    choices = view_module.event_choices(view.events)
    stepped = view_module.compute(dataset, replace(settings.defaults(codebook), weights={"military": 1.05}))
    assert view_module.event_choices(stepped.events) is choices  # a weight step: the same events, kept
    assert len(choices) == len(dataset.events)
    dates = [label[:10] for label in choices.values()]
    assert dates == sorted(dates)
    cuba = dataset.events[dataset.events["title"].str.contains("Cuban")].iloc[0]
    assert choices[cuba["id"]] == f"{cuba['date']:%Y-%m-%d} · {cuba['title']}"
    with pytest.raises(TypeError):
        choices["x"] = "y"  # shared between sessions: read-only
