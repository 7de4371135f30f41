"""The pages, run in-process with Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.codebook import load_codebook
from components.dataset import load_dataset
from tests.conftest import main_chart_spec, move

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "dashboard.py")


def preset_box(at: AppTest):
    """The sidebar's preset box (its key carries the preset it shows, so find it by its label)."""
    return next(box for box in at.sidebar.selectbox if box.label == "Preset")


def start(query: dict[str, str] | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    return at


def chart_line(at: AppTest) -> list[float]:
    spec = main_chart_spec(at)
    line = next(t for t in spec["data"] if t.get("mode") == "lines" and t.get("name") in ("Index", "Your weights"))
    return line["y"] if isinstance(line["y"], list) else line["y"]


def test_dashboard_runs_and_shows_the_sliders():
    at = start()
    assert not at.exception
    labels = [s.label for s in at.sidebar.slider]
    for label in (
        "Military",
        "Arms control",
        "Diplomacy",
        "Joint institutions",
        "Enlargement",
        "Political change",
        "Half-life of a shock (months)",
    ):
        assert label in labels
    assert main_chart_spec(at)["data"]


def test_moving_a_weight_changes_the_chart():
    at = start()
    before = chart_line(at)
    at.sidebar.slider(key="w_military").set_value(3.0).run()
    assert not at.exception
    after = chart_line(at)
    assert after != before
    assert at.query_params["w_military"] == ["3"] or at.query_params["w_military"] == "3"


def test_a_weight_step_reruns_only_the_page_body_and_keeps_the_sidebar_in_step():
    """The fragment the speed depends on (issues 15 and 28): a model control's change reruns the dashboard's
    body, not the app (the fragment draws the model's controls, so moving one reruns it alone), and what
    the sidebar says about the model follows it."""
    at = start()
    before = chart_line(at)
    at.sidebar.slider(key="w_diplomacy").set_value(0.0).run()
    assert not at.exception
    assert chart_line(at) != before
    assert at.sidebar.slider(key="w_diplomacy").value == 0.0  # redrawn by the fragment, in step
    assert "The weights now: **Custom**" in [c.value for c in at.sidebar.caption]
    assert at.query_params["w_diplomacy"] in (["0"], "0")
    # A full run afterwards draws the same view: the fragment left nothing out of step.
    after = chart_line(at)
    at.run()
    assert chart_line(at) == after
    assert at.sidebar.slider(key="w_diplomacy").value == 0.0


def test_the_run_pauses_for_the_browser_only_when_the_chart_moves_in_place(monkeypatch):
    """The pause that lets the browser draw the chart before the rest of the page arrives (issue 28) is paid
    when the chart is updated in place: not on the first draw, and not on a run that leaves the chart as it
    was (opening an expander)."""
    from components.ui import chart

    pauses = []
    monkeypatch.setattr(chart, "let_it_draw", lambda: pauses.append(1))
    at = start()
    assert pauses == []  # the first draw: the browser draws the whole chart anyway
    at.sidebar.slider(key="w_military").set_value(2.0).run()
    assert not at.exception and len(pauses) == 1
    at.session_state["decomposition"] = True
    at.run()
    assert not at.exception and len(pauses) == 1  # the chart did not move
    at.slider(key="years").set_value((1970, 1995)).run()
    assert len(pauses) == 1  # a new x range is a new static part: the chart is drawn again, not moved
    at.sidebar.slider(key="hl").set_value(3).run()
    assert not at.exception and len(pauses) == 2


def test_a_view_control_change_and_a_page_switch_keep_every_value():
    """Years, markers, comparison and eras are drawn by the fragment; the weights by the full run.
    Going to another page and back keeps all of them, and the link with them."""
    at = start()
    move(at, "w_military", 2.0)
    at.slider(key="years").set_value((1970, 1995)).run()
    at.toggle(key="eras").set_value(False).run()
    at.selectbox(key="cmp").set_value("security").run()
    assert not at.exception
    at.run()
    shown = chart_line(at)
    query = dict(at.query_params)
    for page in ("methodology", "events", "dashboard"):
        at.switch_page(_page_path(page)).run()
        assert not at.exception
    assert at.sidebar.slider(key="w_military").value == 2.0
    assert at.slider(key="years").value == (1970, 1995)
    assert at.toggle(key="eras").value is False
    assert at.selectbox(key="cmp").value == "security"
    assert chart_line(at) == shown
    assert dict(at.query_params) == query
    # the series kept across those view changes are the ones a fresh session computes from the link
    fresh = start({k: v[0] if isinstance(v, list) else v for k, v in query.items()})
    assert chart_line(fresh) == shown


def test_half_life_slider_changes_the_chart():
    at = start()
    before = chart_line(at)
    at.sidebar.slider(key="hl").set_value(3).run()
    assert chart_line(at) != before


def test_reset_restores_the_defaults():
    at = start()
    default = chart_line(at)
    move(at, "w_diplomacy", 0.0)
    move(at, "hl", 60)
    assert chart_line(at) != default
    at.sidebar.button[0].click().run()
    assert at.sidebar.slider(key="w_diplomacy").value == 1.0
    assert chart_line(at) == default


def test_preset_sets_the_sliders():
    at = start()
    preset_box(at).set_value("security").run()
    assert at.sidebar.slider(key="w_military").value == 2.0
    assert at.sidebar.slider(key="w_diplomacy").value == 0.5


def test_a_link_reproduces_its_settings():
    at = start({"w_military": "2.5", "hl": "36", "ev": "1997-05-nato-russia-founding-act"})
    assert not at.exception
    assert at.sidebar.slider(key="w_military").value == 2.5
    assert at.sidebar.slider(key="hl").value == 36
    assert any("Founding Act" in m.value for m in at.markdown)


def test_a_mangled_link_loads_with_a_notice():
    at = start({"w_military": "nan", "hl": "99999", "zzz": "<script>"})
    assert not at.exception
    assert at.sidebar.slider(key="hl").value == 120
    notice = " ".join(w.value for w in at.warning)
    assert "not a finite number" in notice and "clamped" in notice and "unknown setting" in notice


@pytest.mark.parametrize(
    "page, heading",
    [
        ("events", "Events"),
        ("methodology", "Methodology"),
        ("article", "About the source article"),
        ("validation", "Validation against outside measures"),
    ],
)
def test_every_page_renders(page, heading):
    at = start()
    at.switch_page(page if page.endswith(".py") else _page_path(page))
    at.run()
    assert not at.exception
    assert any(t.value == heading for t in at.title)


def _page_path(name: str) -> str:
    return f"components/ui/pages/{name}.py"


def test_a_link_rescoring_an_unknown_event_says_so():
    at = start({"ov": "no-such-event:5,1997-05-nato-russia-founding-act:-2"})
    assert not at.exception
    assert any("not in the data in use" in w.value and "such" in w.value for w in at.warning)


def test_table_under_the_chart_and_the_decomposition_open_on_demand():
    at = start({"ev": "1997-05-nato-russia-founding-act"})
    assert len(at.dataframe) == 0  # nothing built while both are closed
    at.session_state["events_under_chart"] = True
    at.session_state["decomposition"] = True
    at.run()
    assert not at.exception
    table = at.dataframe(key="dash_events_table").value
    assert len(table) == len(load_dataset().events)
    assert any("raw level" in m.value and "squash" in m.value for m in at.markdown)
    at.text_input(key="dash_events_search").input("Founding Act").run()
    assert "NATO-Russia Founding Act signed in Paris" in at.dataframe(key="dash_events_table").value["title"].tolist()
    found = at.dataframe(key="dash_events_table").value
    assert "1997-05-nato-russia-founding-act" in set(found["id"]) and len(found) < len(table) // 20


def test_actor_weights_change_the_line_and_travel_in_the_link():
    from components.ui import controls

    at = start()
    before = chart_line(at)
    assert not [s for s in at.sidebar.slider if s.key == "a_ussr_russia"]  # drawn only while "Who acted" is open
    at.session_state[controls.WHO_ACTED] = True
    at.run()
    at.sidebar.slider(key="a_ussr_russia").set_value(0.0).run()
    assert not at.exception
    moved = chart_line(at)
    assert moved != before
    assert at.query_params["a_ussr_russia"] in ("0", ["0"])
    # Closed again, its sliders are not drawn and their values stay in the model: a weight step keeps them.
    at.session_state[controls.WHO_ACTED] = False
    at.run()
    assert not [s for s in at.sidebar.slider if s.key == "a_ussr_russia"]
    assert chart_line(at) == moved
    at.sidebar.slider(key="w_military").set_value(2.0).run()
    assert at.query_params["a_ussr_russia"] in ("0", ["0"])
    assert chart_line(at) == chart_line(start({"a_ussr_russia": "0", "w_military": "2"}))
    # A link with a changed actor weight opens the expander, so that no changed setting hides.
    again = start({"a_ussr_russia": "0"})
    assert chart_line(again) == moved
    assert again.sidebar.slider(key="a_ussr_russia").value == 0.0


def test_validation_page_shows_the_agreement_for_the_weights_in_use():
    """The table's ρ follows the weights: with every category weight at 0 the index is flat, ρ undefined."""
    at = start(page=_page_path("validation"))
    assert not at.exception
    table = at.dataframe[0].value  # the agreement table is the page's first table
    assert len(table) == 4 and table["rho"].notna().all()
    flat = start(
        {
            f"w_{c}": "0"
            for c in ("military", "arms_control", "diplomacy", "institutions", "enlargement", "political_change")
        },
        page=_page_path("validation"),
    )
    assert not flat.exception
    assert flat.dataframe[0].value["rho"].isna().all()


def test_a_chip_names_a_changed_setting_and_resets_it():
    at = start({"a_ussr_russia": "0", "hl": "36"})
    assert not at.exception
    chips = [b for b in at.button if (b.key or "").startswith("chip_")]
    assert [b.label for b in chips] == ["Moscow × 0", "half\\-life 36 months"]
    assert any("The weights now: **Custom**" in c.value for c in at.sidebar.caption)
    chips[0].click().run()
    # Back to 1, so "Who acted" closes (it opens by itself only for a changed actor weight) and its link key goes.
    assert at.session_state["a_ussr_russia"] == 1.0 and "a_ussr_russia" not in at.query_params
    assert not [s for s in at.sidebar.slider if s.key == "a_ussr_russia"]
    assert at.sidebar.slider(key="hl").value == 36  # the other chip's setting is untouched
    assert [b.label for b in at.button if (b.key or "").startswith("chip_")] == ["half\\-life 36 months"]


def test_previous_and_next_walk_the_story_panel_through_the_events():
    at = start({"ev": "1997-05-nato-russia-founding-act"})
    assert not at.exception
    at.button(key="next_event").click().run()
    following = load_dataset().events.sort_values(["date", "id"])["id"].tolist()
    position = following.index("1997-05-nato-russia-founding-act")
    assert at.session_state["ev"] == following[position + 1]
    at.button(key="previous_event").click().run()
    assert at.session_state["ev"] == "1997-05-nato-russia-founding-act"


def test_a_setting_missing_from_the_session_falls_back_to_its_default():
    """If Streamlit ever drops a control's state (a widget not drawn in a full run), the page reads the
    setting's default instead of failing on a missing key."""

    def script():
        import streamlit as st

        from components.codebook import load_codebook
        from components.ui import controls

        codebook = load_codebook()
        controls.init_from_url(codebook)
        del st.session_state["hl"], st.session_state["years"]
        state = controls.current_state(codebook)
        st.write(f"{state.half_life_months} {state.year_from} {state.weights['military']}")

    at = AppTest.from_function(script, default_timeout=60)
    at.query_params["hl"] = "24"
    at.query_params["w_military"] = "2"
    at.query_params["from"] = "1970"
    at.run()
    assert not at.exception
    hl = int(round(load_codebook().engine.half_life_months))
    assert at.markdown[0].value == f"{hl} 1949 2.0"  # half-life and years back to default, the weight kept


def test_an_event_outside_the_years_shown_can_be_brought_onto_the_chart():
    at = start({"from": "1990", "to": "2000", "ev": "1962-10-cuban-missile-crisis"})
    if "1962-10-cuban-missile-crisis" not in load_dataset().events["id"].tolist():
        pytest.skip("the Cuban crisis's id changed")
    button = at.button(key="show_event_year")
    assert "show 1962–2000 on the chart" in button.label
    button.click().run()
    assert not at.exception
    at.run()
    assert at.slider(key="years").value == (1962, 2000)
    assert not [b for b in at.button if b.key == "show_event_year"]


@pytest.mark.parametrize(
    "query", [{"ev": "1947-03-truman-doctrine-address"}, {"from": "1990", "ev": "1947-03-truman-doctrine-address"}]
)
def test_an_event_before_the_charts_first_year_never_writes_past_the_years_control(query):
    """Issue 24's crash: the 1947 rows offered 'show 1947 on the chart', below the control's minimum (1949)."""
    at = start(query)
    assert not at.exception
    buttons = [b for b in at.button if b.key == "show_event_year"]
    if query.get("from"):
        buttons[0].click().run()
        assert not at.exception
        at.run()
        assert at.slider(key="years").value[0] == 1949
    else:
        assert not buttons  # 1949 is shown already: nothing to widen, and a caption says why
        assert any("outside the chart's years" in c.value for c in at.caption)


def test_a_caption_place_that_lost_its_slot_runs_the_whole_app_instead_of_failing(monkeypatch):
    """An interrupted full run can leave the sidebar's caption place without the slot a fragment rerun
    needs; Streamlit then refuses the write (seen in a server log under load: every later step ended in
    StreamlitInvalidLayoutContextError before the chart). controls.fill_outside runs the app once instead.
    AppTest does not enforce that rule, so the refusal is raised here by hand."""
    from streamlit.errors import StreamlitInvalidLayoutContextError

    from components.ui import controls

    asked = []
    monkeypatch.setattr(controls.st, "rerun", lambda **kwargs: asked.append(kwargs))

    def refused(place):
        raise StreamlitInvalidLayoutContextError("no slot")

    drawn = []
    controls.fill_outside("place", drawn.append)
    assert drawn == ["place"] and asked == []  # a place with its slot is simply drawn
    controls.fill_outside("place", refused)
    assert asked == [{"scope": "app"}]


def test_methodology_shows_the_panel_and_the_out_of_sample_error():
    at = start(page=_page_path("methodology"))
    assert not at.exception
    recorded = load_codebook().panel_fit
    text = " ".join(m.value for m in at.markdown)
    assert f"**{recorded.out_of_sample_mae:.2f} points**" in text
    assert "Krippendorff's α = **" in text and "blind" in text
    assert any(c.key == "panel_chart" for c in at.get("plotly_chart")) or at.get("plotly_chart")
    # Live for the user's settings: a heavier military weight changes the error shown.
    before = [m.value for m in at.markdown if "With the settings now in use the error is" in m.value][0]
    other = start({"w_military": "3"}, page=_page_path("methodology"))
    after = [m.value for m in other.markdown if "With the settings now in use the error is" in m.value][0]
    assert before != after


def test_what_moved_opens_with_the_years_shown_and_adds_up():
    at = start({"from": "2024", "to": "2025"})
    at.session_state["what_moved"] = True
    at.run()
    assert not at.exception
    assert at.select_slider(key="moved_2024-01_2025-12").value == ("2024-01", "2025-12")
    caption = [c.value for c in at.caption if "the bars sum to the index's change" in c.value]
    assert caption and at.get("plotly_chart")


def test_the_preset_and_view_chips_reset_their_settings():
    """A preset's chip resets the whole model; a chip of a setting outside the model (range, rescorings) its own."""
    at = start({"preset": "security", "spread": "0", "ov": "1997-05-nato-russia-founding-act:-5"})
    assert not at.exception
    labels = [b.label for b in at.button if (b.key or "").startswith("chip_")]
    assert labels == ["Security lens weights", "no uncertainty range", "1 event rescored"], labels
    for label in labels:
        next(b for b in at.button if (b.key or "").startswith("chip_") and b.label == label).click().run()
        assert not at.exception
    assert [b for b in at.button if (b.key or "").startswith("chip_")] == []
    assert any("The weights now: **Balanced**" in c.value for c in at.sidebar.caption)
