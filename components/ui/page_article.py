"""About the source article: the events it names, and each of its claims checked."""

from __future__ import annotations

import streamlit as st

from components.text import md_escape
from components.ui.context import PageContext

VERDICT_LABELS = {
    "correct": "✅ correct",
    "correct_when_written": "🕰️ correct when written",
    "partly_correct": "⚠️ partly correct",
    "incorrect": "❌ incorrect",
    "unverifiable": "❔ unverifiable",
    "opinion": "💬 opinion",
}


def show(ctx: PageContext) -> None:
    st.title("About the source article")
    st.markdown(
        "The idea for this index came from a 2021 newspaper article on the NATO–Russia diplomatic row "
        "(*NATO-Russia diplomatic row*, The Frontier Post). The events it names are drawn on the chart with "
        "a ★. The article is not always right: below, each of its dated or factual claims is checked against "
        "a public source.")
    events = ctx.view.events
    named = events[events["in_article"]]
    st.subheader(f"Events it names ({len(named)})")
    st.dataframe(named.assign(date=named["date"].dt.strftime("%Y-%m-%d"))[["date", "title", "score", "summary"]],
                 hide_index=True, key="article_events",
                 column_config={"score": st.column_config.NumberColumn(format="%+d")})
    claims = ctx.dataset.claims
    st.subheader(f"Its claims, checked ({len(claims)})")
    if claims.empty:
        st.info("No claims recorded.")
        return
    counts = claims["verdict"].value_counts()
    st.caption(" · ".join(f"{VERDICT_LABELS.get(v, v)}: {n}" for v, n in counts.items()))
    st.dataframe(
        claims.assign(verdict=claims["verdict"].map(VERDICT_LABELS).fillna(claims["verdict"]))
        [["verdict", "claim", "quote", "correction", "source_url"]],
        hide_index=True, key="claims",
        column_config={"source_url": st.column_config.LinkColumn("source", display_text="source"),
                       "claim": st.column_config.TextColumn(width="large"),
                       "correction": st.column_config.TextColumn(width="large")})
