"""Reading a shared link: good, bad and strange query strings."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import settings as settings_
from hypothesis import strategies as st

from components import settings, url_state
from components.codebook import load_codebook
from components.url_state import decode, encode

DEFAULT_HL = int(round(load_codebook().engine.half_life_months))


def defaults_state():
    return url_state.defaults(load_codebook())


def test_empty_query_gives_the_defaults(codebook):
    state, notices = decode("", codebook)
    assert state == url_state.defaults(codebook)
    assert notices == []


@pytest.mark.parametrize(
    "query, check, notice_words",
    [
        ("w_military=2.5", lambda s: s.weights["military"] == 2.5 and s.preset == "custom", None),
        ("w_military=7", lambda s: s.weights["military"] == 3.0, "clamped"),
        ("w_military=-1", lambda s: s.weights["military"] == 0.0, "clamped"),
        ("w_military=nan", lambda s: s.weights["military"] == 1.0, "not a finite number"),
        ("w_military=inf", lambda s: s.weights["military"] == 1.0, "not a finite number"),
        ("w_military=1e308", lambda s: s.weights["military"] == 3.0, "clamped"),
        ("w_military=abc", lambda s: s.weights["military"] == 1.0, "not a finite number"),
        ("hl=36", lambda s: s.half_life_months == 36, None),
        ("hl=0", lambda s: s.half_life_months == 1, "clamped"),
        ("hl=12&hl=48", lambda s: s.half_life_months == 48, "more than once"),
        ("preset=security", lambda s: s.weights["military"] == 2.0 and s.preset == "security", None),
        ("preset=security&w_military=1", lambda s: s.weights["military"] == 1.0 and s.preset == "custom", None),
        ("preset=nonsense", lambda s: s.preset == "balanced", "unknown preset"),
        ("bogus=1", lambda s: s.weights["military"] == 1.0 and s.half_life_months == DEFAULT_HL, "unknown setting"),
        ("from=1980&to=1990", lambda s: (s.year_from, s.year_to) == (1980, 1990), None),
        ("from=1990&to=1980", lambda s: (s.year_from, s.year_to) == (1980, 1990), "swapped"),
        ("cats=military,arms_control", lambda s: s.categories_shown == ("military", "arms_control"), None),
        ("cats=military,zzz", lambda s: s.categories_shown == ("military",), "unknown categories"),
        ("ev=1997-05-nato-russia-founding-act", lambda s: s.selected == "1997-05-nato-russia-founding-act", None),
        ("ev=<script>alert(1)</script>", lambda s: s.selected is None, "not an event id"),
        ("cmp=default", lambda s: s.compare == "default", None),
        ("cmp=nope", lambda s: s.compare == "none", "unknown comparison"),
        ("ov=a-b:3,c:-4.5", lambda s: dict(s.overrides) == {"a-b": 3.0, "c": -4.5}, None),
        ("ov=a:99", lambda s: dict(s.overrides) == {"a": 10.0}, "clamped"),
        ("ov=a:x,b:2", lambda s: dict(s.overrides) == {"b": 2.0}, "not of the form"),
        (
            "ov=a:3,b:1,a:4",
            lambda s: dict(s.overrides) == {"a": 4.0, "b": 1.0},
            "rescored more than once (a); the last",
        ),
        # A version no migration knows: read as the current model, every setting at its default.
        ("v=0", lambda s: s == defaults_state(), "unknown model version; the link is read as version"),
        ("v=0&hl=24", lambda s: s.half_life_months == 24, "unknown model version"),  # its settings are kept
        # A link of an older model keeps its settings and says the model changed, once per version.
        ("v=2&hl=24", lambda s: s.half_life_months == 24, "model version 2; the model has changed"),
        ("v=1&w_military=2", lambda s: s.weights["military"] == 2.0, "model version 1; the model has changed"),
        ("v=3&w_diplomacy=0.5", lambda s: s.weights["diplomacy"] == 0.5, "model version 3; the model has changed"),
        ("v=4&w_diplomacy=0.5", lambda s: s.weights["diplomacy"] == 0.5, "model version 4; the model has changed"),
        ("p=1", lambda s: s.intensity == 1.0, None),
        # Digits int() refuses ('²') or that are not ASCII: one parser refuses them all, with a notice, never a crash.
        ("too_many=²", lambda s: s == defaults_state(), "unknown setting"),
        ("too_many=0", lambda s: s == defaults_state(), "unknown setting"),  # not the 'too many' notice
        ("from=١٩٩٠", lambda s: s.year_from == 1949, "not a finite number"),
        ("hl=１２", lambda s: s.half_life_months == DEFAULT_HL, "not a finite number"),
        ("w_military=²", lambda s: s.weights["military"] == 1.0, "not a finite number"),
        ("v=²", lambda s: s == defaults_state(), "unknown model version"),
        ("p=7", lambda s: s.intensity == 3.0, "clamped"),
        ("w_military=" + "9" * 5000, lambda s: s.weights["military"] == 1.0, "longer than"),
        ("%%%&&&==", lambda s: s == defaults_state(), None),  # nothing applied
        ("https://example.streamlit.app/?hl=30", lambda s: s.half_life_months == 30, None),
        ("embed=true", lambda s: s == defaults_state(), None),  # Streamlit's own: not a setting
        (
            "a_ussr_russia=0&a_nato=2",
            lambda s: (s.actor_weights["ussr_russia"], s.actor_weights["nato"]) == (0, 2),
            None,
        ),
        ("a_other=9", lambda s: s.actor_weights["other"] == 3.0, "clamped"),
    ],
)
def test_decode_table(codebook, query, check, notice_words):
    state, notices = decode(query, codebook, today_year=2026)
    assert check(state)
    text = " ".join(str(n) for n in notices)
    if notice_words is None:
        assert "unknown setting" not in text or query.startswith("%")
    else:
        assert notice_words in text


def test_encode_writes_only_what_differs_from_the_defaults(codebook):
    versions = f"v={codebook.model_version}&dv={codebook.data_version}"
    assert encode(url_state.defaults(codebook), codebook) == versions
    state, _ = decode("hl=36&w_diplomacy=2", codebook)
    assert encode(state, codebook) == f"{versions}&preset=custom&w_diplomacy=2&hl=36"


@pytest.mark.parametrize(
    "dv, words",
    [
        ("2026-12-01", "made with older data (version 2026-12-01)"),
        ("2030-01-01", "made with newer data"),
        ("yesterday", "not a data version"),
        ("2026-12-01<script>", "not a data version"),
    ],
)
def test_a_link_made_with_other_data_says_so_and_keeps_its_settings(codebook, dv, words):
    state, notices = decode(f"dv={dv}&hl=24", codebook, today_year=2026)
    assert state.half_life_months == 24
    text = " ".join(str(n) for n in notices)
    assert words in text  # shown as text: the page escapes every notice (tests/test_app_user_data.py)
    assert decode(f"dv={codebook.data_version}", codebook)[1] == []  # the same data: no notice


def _values(setting, codebook):
    """A strategy of valid values for one registry row, by its kind."""
    kind = setting.kind
    if kind == "number":
        steps = int(round((setting.high - setting.low) / setting.step))
        return st.integers(0, steps).map(lambda n: round(setting.low + n * setting.step, setting.decimals))
    if kind == "integer":
        return st.integers(int(setting.low), int(setting.high))
    if kind == "choice":
        return st.sampled_from(setting.choices)
    if kind == "categories":
        return st.none() | st.lists(
            st.sampled_from(setting.choices), unique=True, max_size=len(setting.choices) - 1
        ).map(lambda cs: tuple(c for c in setting.choices if c in cs))
    if kind == "flag":
        return st.booleans()
    if kind == "event_id":
        return st.none() | st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True)
    if kind == "overrides":
        return st.dictionaries(
            st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True), st.integers(-10, 10).map(float), max_size=4
        )
    if kind == "year_range":
        return st.tuples(st.integers(1949, 2026), st.integers(0, 40) | st.none()).map(
            lambda p: (p[0], None if p[1] is None else min(2026, p[0] + p[1]))
        )
    raise AssertionError(f"no strategy for kind {kind!r}: add one when adding a kind")


@st.composite
def view_states(draw, codebook):
    """Any valid view: a value for every setting of the registry (so a new setting is covered by itself)."""
    rows = [s for s in settings.registry(codebook, 2026) if s.key != "preset"]
    state = settings.with_values(settings.defaults(codebook), {s: draw(_values(s, codebook)) for s in rows})
    return replace(state, preset=settings.preset_matching(state, codebook))


@settings_(max_examples=150, deadline=None)
@given(data=st.data())
def test_round_trip_state_to_query_to_state(codebook, data):
    state = data.draw(view_states(codebook))
    decoded, notices = decode(encode(state, codebook), codebook, today_year=2026)
    assert notices == []
    assert decoded == state


@settings_(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_decodes_without_error(codebook, text):
    state, notices = decode(text, codebook, today_year=2026)
    assert all(0 <= w <= 3 for w in state.weights.values())
    assert 1 <= state.half_life_months <= 120


@settings_(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["w_military", "hl", "spread", "from", "to", "cats", "ev", "ov", "cmp", "preset", "v", "x"]),
        st.lists(st.text(max_size=40), min_size=1, max_size=3),
    )
)
def test_any_mapping_decodes_without_error(codebook, mapping):
    state, _ = decode(mapping, codebook, today_year=2026)
    assert 0 <= state.spread <= 1


@pytest.mark.parametrize(
    "query, check, notice_words",
    [
        ("hl=5&ref=https://t.co/x", lambda s: s.half_life_months == 5, "unknown setting"),  # not taken for a URL
        ("http://[evil/?hl=5", lambda s: s.half_life_months == 5, None),  # a broken host: no traceback
        ("ev=a%0A", lambda s: s.selected is None, "not an event id"),
        ("cats=", lambda s: s.categories_shown == (), None),  # "Clear all": no markers, not every marker
        (
            "&".join(f"x{i}=1" for i in range(1001)) + "&hl=9",
            lambda s: s.half_life_months == DEFAULT_HL,
            "more than 1000",
        ),
    ],
)
def test_hostile_and_careless_links(codebook, query, check, notice_words):
    state, notices = decode(query, codebook, today_year=2026)
    assert check(state)
    if notice_words:
        assert any(notice_words in str(n) for n in notices)


def test_a_notice_is_short_and_shows_control_characters_escaped(codebook):
    _, notices = decode({"k" * 100_000: "x", "v": "\x1b]0;owned\x07"}, codebook, today_year=2026)
    for notice in notices:
        text = str(notice)
        assert len(text) < 250
        assert "\x1b" not in text and "\x07" not in text


def test_a_link_streamlit_dropped_gets_the_same_notice_as_the_command_line(codebook):
    """The page's script reloads a link of more than 1000 parameters as too_many=<count>."""
    huge = "&".join(f"w_military={i % 3}" for i in range(1200))
    direct_state, direct = url_state.decode(huge, codebook, today_year=2026)
    relayed_state, relayed = url_state.decode("too_many=1200", codebook, today_year=2026)
    assert [str(n) for n in relayed] == [str(n) for n in direct]
    assert "more than 1000 parameters" in str(relayed[0])
    assert relayed_state == direct_state == url_state.decode("", codebook, today_year=2026)[0]
    # anything else under that name is an ordinary unknown parameter
    _, other = url_state.decode("too_many=lots&hl=12", codebook, today_year=2026)
    assert not any("1000" in str(n) for n in other)


def _setting(key, codebook):
    return next(s for s in settings.registry(codebook, 2026) if key in s.url_keys)


@pytest.mark.parametrize("raw, expected", [("35.7", 36), ("35.2", 35), ("35.5", 36), ("0.6", 1)])
def test_a_half_life_between_steps_in_a_link_is_rounded_to_the_nearest_step_not_cut(codebook, raw, expected):
    """hl=35.7 opens a half-life of 36 months (the setting's step is one month), not 35."""
    step = _setting("hl", codebook).step
    assert step == 1 and expected == round(float(raw) / step) * step  # the nearest step, worked out here
    state, notices = decode(f"hl={raw}", codebook, today_year=2026)
    assert state.half_life_months == expected
    assert [str(n) for n in notices if n.key == "hl"] == (
        [] if float(raw) >= 1 else [f"'hl={raw}': outside 1–120; clamped"]
    )


@pytest.mark.parametrize(
    "query, years, notices_for",
    [
        ("from=1800", (1949, None), ["from"]),
        ("from=1800&to=1990", (1949, 1990), ["from"]),
        ("from=1960&to=3000", (1960, 2026), ["to"]),
        ("from=1800&to=1700", (1949, 1949), ["from", "to"]),
    ],
)
def test_a_year_before_the_first_in_a_link_is_clamped_to_the_first_year_and_says_so(
    codebook, query, years, notices_for
):
    """from=1800 shows the years from the first year of the data (1949) on, with a notice; it is not taken."""
    first, last = _setting("from", codebook).low, _setting("to", codebook).high
    assert (first, last) == (settings.YEAR_MIN, 2026) == (1949, 2026)
    state, notices = decode(query, codebook, today_year=2026)
    assert (state.year_from, state.year_to) == years
    assert [n.key for n in notices] == notices_for
    assert all(n.message == "outside 1949–2026; clamped" for n in notices)
