"""A user's own events: an uploaded file combined with the shipped data, and edits made in the app.

Pure functions; the Streamlit side (``components.ui.user_data``) keeps their
inputs in the session and never writes them to disk.
"""

from __future__ import annotations

from typing import Literal, Mapping

import pandas as pd

from components.codebook import Codebook
from components.events import MAX_WEIGHT, DatasetError, Problem

Mode = Literal["replace", "extend"]
EDITABLE = ("score", "category", "weight", "included")


def combine(shipped: pd.DataFrame, uploaded: pd.DataFrame | None, mode: Mode) -> pd.DataFrame:
    """The events in use: the upload alone, or the shipped events extended by it.

    Raises :class:`DatasetError` when extending would give two events one id.
    """
    if uploaded is None:
        return shipped
    if mode == "replace":
        return uploaded
    clashes = sorted(set(shipped["id"]) & set(uploaded["id"]))
    if clashes:
        raise DatasetError(Problem(None, "id", event_id, "an id not already used by the shipped events "
                                   "(rename it, or choose 'Replace')") for event_id in clashes)
    combined = pd.concat([shipped, uploaded], ignore_index=True)
    return combined.sort_values(["date", "id"], kind="stable").reset_index(drop=True)


def apply_edits(events: pd.DataFrame, edits: Mapping[str, Mapping[str, object]], codebook: Codebook) -> pd.DataFrame:
    """A copy of ``events`` with per-event edits applied; edits of unknown ids or invalid values are skipped."""
    if not edits:
        return events
    out = events.copy()
    position = {event_id: i for i, event_id in enumerate(out["id"])}
    for event_id, changes in edits.items():
        if event_id not in position:
            continue
        row = out.index[position[event_id]]
        for column, value in changes.items():
            if column == "score" and _number_in(value, codebook.scale_min, codebook.scale_max):
                out.at[row, "score"] = float(value)
            elif column == "weight" and _number_in(value, 0, MAX_WEIGHT):
                out.at[row, "weight"] = float(value)
            elif column == "category" and value in codebook.categories:
                out.at[row, "category"] = value
            elif column == "included" and isinstance(value, bool):
                out.at[row, "included"] = value
    return out


def _number_in(value: object, low: float, high: float) -> bool:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return low <= number <= high
