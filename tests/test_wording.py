"""What a page says about a view (components.wording): each sentence checked against the view's numbers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from components import url_state, wording
from components import view as view_module
from components.edits import assemble
from tests.conftest import frame, state_ending_after_the_last_event, view_of


def test_range_warnings_warn_on_saturation_and_a_wide_band(dataset):
    pinned = view_of(dataset, "hl=120&w_military=3&w_diplomacy=3&w_institutions=3")
    warned = wording.range_warnings(pinned, dataset.codebook)
    share = np.mean(np.abs(pinned.series.index) > 9.5)
    assert (share > 0.05) == any("beyond ±9.5" in w for w in warned)
    wide = wording.range_warnings(view_of(dataset, "spread=1"), dataset.codebook)
    assert any("more than half the scale" in w for w in wide) == (
        np.max(view_of(dataset, "spread=1").band.high - view_of(dataset, "spread=1").band.low) > 10
    )


@pytest.mark.parametrize("query", ["", "to=1990", "from=1960&to=1975"])
def test_headline_is_the_last_month_shown_and_its_change_over_a_year(dataset, query):
    view = view_of(dataset, query)
    head = wording.headline(view, dataset.codebook)
    series = frame(view)
    last_year = view.state.year_to or series.index.year.max()
    expected_month = series[series.index.year <= last_year].index[-1]
    assert head.month == expected_month
    assert head.value == pytest.approx(series[expected_month])
    year_before = expected_month - pd.DateOffset(months=12)
    assert head.change_12m == pytest.approx(series[expected_month] - series[year_before])
    assert head.level == dataset.codebook.band_of(head.value)
    position = series.index.get_loc(expected_month)
    assert head.band == pytest.approx((view.band.low[position], view.band.high[position]))


def test_the_headline_says_when_the_value_is_carried_after_the_last_event(dataset):
    view = view_of(dataset)
    head = wording.headline(view, dataset.codebook)
    assert head.data_end == dataset.events["date"].max() and head.ends_on_event
    assert head.carried_forward == (head.month > head.data_end.to_period("M").to_timestamp())
    note = wording.data_end_note(head, dataset.codebook)
    assert note.startswith(f"Last event coded: {head.data_end:%d %B %Y} — the months after it carry its value")
    assert wording.data_end_label(head) == "last coded event"
    early = wording.headline(view_of(dataset, "to=1990"), dataset.codebook)
    assert not early.carried_forward


def test_the_headline_is_carried_only_after_a_states_end_after_the_last_event(dataset):
    """Issue 25: with a state ending in June 1995 after the last event (1989), the headline said the value was
    carried from 1990 on while the line still moved; it is carried from July 1995, and says where the data end."""
    events = state_ending_after_the_last_event(dataset.events)
    months = view_of(dataset).series.months
    for to, carried in (("1993", False), ("1995", True), ("2000", True)):
        state, _ = url_state.decode(f"to={to}", dataset.codebook, today_year=2026)
        view = view_module.compute(dataset, state, assemble(events, dataset.codebook), months=months)
        head = wording.headline(view, dataset.codebook)
        assert head.data_end == pd.Timestamp("1995-06-30") and not head.ends_on_event
        assert head.carried_forward == carried, to
        assert wording.data_end_label(head) == "coded until"
        assert wording.data_end_note(head, dataset.codebook).startswith("Coded until: 30 June 1995 (a state's end")


def test_chips_name_every_non_default_setting(dataset):
    view = view_of(dataset, "a_ussr_russia=0&hl=36&ov=1997-05-nato-russia-founding-act:-5&coder=b")
    texts = [c.text for c in wording.chips(view, dataset.codebook, uploaded=True)]
    assert texts == ["Moscow × 0", "half-life 36 months", "Coding B (blind)", "1 event rescored", "your uploaded data"]
    assert wording.chips(view_of(dataset), dataset.codebook) == []
    preset = [c.text for c in wording.chips(view_of(dataset, "preset=security"), dataset.codebook)]
    assert preset == ["Security lens weights"]


def test_the_chart_title_follows_the_view(dataset):
    title, subtitle = wording.chart_title(
        view_of(dataset, "from=1960&to=1975&preset=security&coder=b"), dataset.codebook
    )
    assert title == "NATO–Moscow relations index, 1960–1975"
    assert subtitle.startswith(
        "−10 war … +10 alliance · custom weights · Coding B (blind)"
    )  # a coder other than the preset's is custom
    _, plain = wording.chart_title(view_of(dataset, "preset=security"), dataset.codebook)
    assert plain.startswith(f"−10 war … +10 alliance · Security lens · model v{dataset.codebook.model_version}")


def test_the_headline_has_no_twelve_month_change_in_the_first_year(dataset):
    head = wording.headline(view_of(dataset, "from=1949&to=1949"), dataset.codebook)
    assert head.month == pd.Timestamp("1949-12-01") and head.change_12m is None
    later = wording.headline(view_of(dataset, "from=1949&to=1950"), dataset.codebook)
    assert later.change_12m is not None


def test_a_citation_names_the_versions_and_the_day_once_and_carries_the_link(dataset):
    import datetime as dt

    view = view_of(dataset, "cats=military,diplomacy")
    link = "https://example.streamlit.app/?v=2&cats=military%2Cdiplomacy#chart"
    found = wording.citations(view, dataset.codebook, link, dt.date(2026, 12, 1))
    assert set(found) == {"Plain text", "APA", "BibTeX"}
    version = f"data version {dataset.codebook.data_version}"
    for style, text in found.items():
        assert text.lower().count(version) == 1, style
        assert text.lower().count(f"model version {dataset.codebook.model_version}") == 1, style
    for style in ("Plain text", "APA"):
        assert found[style].count("1 December 2026") == 1 and link in found[style]
    bibtex = found["BibTeX"]
    assert bibtex.startswith("@misc{") and bibtex.count("{") == bibtex.count("}")
    assert "urldate = {2026-12-01}" in bibtex
    assert r"\url{https://example.streamlit.app/?v=2&cats=military\%2Cdiplomacy\#chart}" in bibtex
    # The project is the author, with the year, in every style (issue 24: citations had no author).
    assert found["Plain text"].startswith("NATO–Russia Relations Index project (2026). NATO–Russia Relations Index (")
    assert found["APA"].startswith("NATO–Russia Relations Index project. (2026). NATO–Russia Relations Index [")
    assert "author = {{NATO--Russia Relations Index project}}" in bibtex and "year = {2026}" in bibtex


@pytest.mark.parametrize(
    "link, source",
    [
        ("https://x.streamlit.app/?v=4&hl=12", "https://x.streamlit.app/?v=4&amp;hl=12&amp;embed=true"),
        ("https://x.streamlit.app/", "https://x.streamlit.app/?embed=true"),
        (
            'https://x.streamlit.app/?ev="><script>',
            "https://x.streamlit.app/?ev=&quot;&gt;&lt;script&gt;&amp;embed=true",
        ),
    ],
)
def test_the_embed_snippet_is_an_escaped_iframe_of_the_embedded_view(link, source):
    snippet = wording.embed_snippet(link)
    assert snippet.startswith(f'<iframe src="{source}" ') and snippet.endswith("></iframe>")
    assert snippet.count("<") == 2  # nothing from the link opens a tag


def test_the_phone_title_is_shorter_and_says_the_same_years(dataset):
    view = view_of(dataset, "from=2014")
    wide, _ = wording.chart_title(view, dataset.codebook)
    narrow, _ = wording.chart_title(view, dataset.codebook, compact=True)
    assert len(narrow) < len(wide) - 8 and narrow.endswith(wide[-9:])


def test_every_citation_gives_the_view_the_title_the_chart_s_source_line_names(dataset):
    """A citation's title is the name the line under the chart (and its exported image) gives the data, the same
    in the plain text, APA and BibTeX (there with TeX's en dash), and the embed snippet's title."""
    import datetime as dt

    view = view_of(dataset, "from=1960&to=1975")
    link = "https://example.streamlit.app/?from=1960&to=1975"
    shown = wording.source_line(view, dataset.codebook, link)
    assert shown.startswith("Data: NATO–Russia Relations Index, model v")
    title = shown.removeprefix("Data: ").split(",")[0]
    found = wording.citations(view, dataset.codebook, link, dt.date(2026, 12, 1))
    versions = f"model version {view.model_version}, data version {dataset.codebook.data_version}"
    assert (
        found["Plain text"] == f"{wording.AUTHOR} (2026). {title} ({versions}), a view taken on 1 December 2026: {link}"
    )
    assert found["APA"].startswith(f"{wording.AUTHOR}. (2026). {title} [Data set and interactive view; {versions}]. ")
    tex_title = title.replace("–", "--")
    assert f"  title = {{{{{tex_title}}}: a view}},\n" in found["BibTeX"]
    assert f'title="{title}"' in wording.embed_snippet(link)
