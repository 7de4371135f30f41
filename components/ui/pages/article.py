"""About the source article: the events it names, and each of its claims checked."""

import streamlit as st

from components import verdicts
from components.dataset import claims_by_event
from components.text import is_web_url, link_target, md_escape, safe_table
from components.ui.context import build


def _claim(codebook, claim) -> None:
    text = f"{verdicts.badge(codebook, claim.verdict)} “{md_escape(claim.quote)}” — {md_escape(claim.claim)}"
    if claim.correction:
        text += f"  \n**In fact:** {md_escape(claim.correction)}"
    if is_web_url(claim.source_url):
        text += f" ([source]({link_target(claim.source_url)}))"
    st.markdown(text)


ctx = build()
codebook = ctx.dataset.codebook
st.title("About the source article")
st.markdown(
    "**The article.** “NATO-Russia diplomatic row”, *The Frontier Post* (Pakistan), editorial; author line "
    "“Written by The Frontier Post”. The copy read carries no date: it reports Russia's measures “from November 1” "
    "and NATO's withdrawal of accreditation “on October 6”, so it was written in October–November 2021. Read from "
    "the copy the project was given (shared/seed/article.txt); no web address for it could be found in the stored "
    "pages, so none is given."
)
st.markdown(
    "The idea for this index came from a 2021 newspaper article on the NATO–Russia diplomatic row "
    "(*NATO-Russia diplomatic row*, The Frontier Post). The events it names are drawn on the chart with "
    "a ★. The article is not always right: below, each of its dated or factual claims is checked against "
    "a public source."
)
events = ctx.view.events
named = events[events["in_article"]]
claims = ctx.dataset.claims
if len(claims):
    counts = claims["verdict"].value_counts()
    st.caption(
        f"{len(claims)} claims checked: " + " · ".join(f"{verdicts.label(codebook, v)} {n}" for v, n in counts.items())
    )
st.subheader(f"The events it names ({len(named)}), and what it says of them")
by_event, others = claims_by_event(claims, list(named["id"]))
for event in named.itertuples():
    with st.container(border=True):
        date = event.date.strftime("%d %B %Y" if event.date_precision == "day" else "%B %Y")
        st.markdown(f"**{md_escape(event.title)}** · {date} · score {event.score:+g}")
        about = by_event.get(event.id, claims.iloc[0:0])
        if about.empty:
            st.caption("The article names this event without a checkable claim about it.")
        for claim in about.itertuples():
            _claim(codebook, claim)
if len(others):
    st.subheader(f"Its other claims ({len(others)})")
    for claim in others.itertuples():
        _claim(codebook, claim)
if len(claims):
    st.subheader("All claims as a table")
    st.dataframe(
        safe_table(
            claims.assign(verdict=claims["verdict"].map(lambda v: verdicts.label(codebook, v)))[
                ["verdict", "claim", "quote", "correction", "source_url"]
            ]
        ),
        hide_index=True,
        key="claims",
        column_config={
            "source_url": st.column_config.LinkColumn("source", display_text="source"),
            "claim": st.column_config.TextColumn(width="large"),
            "correction": st.column_config.TextColumn(width="large"),
        },
    )
