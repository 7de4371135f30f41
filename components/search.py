"""Finding events by what a reader types: words in any text field, a year, a year-month, a category or actor."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from components.codebook import Codebook

SEARCHED = ("id", "title", "summary", "rationale", "source_title", "aliases")
_PERIOD = re.compile(r"^(\d{4})(?:-(\d{1,2}))?$")


def matches(events: pd.DataFrame, query: str, codebook: Codebook) -> np.ndarray:
    """A boolean mask of the events that hold every word of ``query``.

    A word matches when it is in a text field (title, summary, rationale, source title, aliases),
    in the category's or actor's label, or, written as a year (``2021``) or a year-month
    (``2021-10``), when the event falls in that period. Case is ignored.
    """
    words = query.lower().split()
    if not words:
        return np.ones(len(events), dtype=bool)
    parts = [events[c].fillna("").astype(str) for c in SEARCHED if c in events]
    parts.append(events["category"].map(codebook.category_labels).fillna(events["category"]).astype(str))
    parts.append(events["actor"].map({k: a.label for k, a in codebook.actors.items()}).fillna("").astype(str))
    haystack = parts[0].str.cat(parts[1:], sep=" \u2016 ").str.lower()
    dates = pd.DatetimeIndex(events["date"])
    mask = np.ones(len(events), dtype=bool)
    for word in words:
        found = haystack.str.contains(word, regex=False).to_numpy(dtype=bool, copy=True)
        if (period := _PERIOD.match(word)) is not None:
            in_period = dates.year == int(period.group(1))
            if period.group(2):
                in_period &= dates.month == int(period.group(2))
            found |= np.asarray(in_period)
        mask &= found
    return mask
