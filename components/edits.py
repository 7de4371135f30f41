"""The one events pipeline: the shipped events, a user's upload, in-app edits and a link's rescorings.

:func:`assemble` combines them in one pure step and reports, for every kind
of change, the ids it could not apply. The Streamlit side
(``components.ui.user_data``) keeps the inputs in the session and never
writes them to disk.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from components.codebook import Codebook
from components.events import MAX_WEIGHT

Mode = Literal["replace", "extend", "update"]
MODES: dict[str, str] = {
    "replace": "Replace the shipped events",
    "extend": "Extend the shipped events (new ids only)",
    "update": "Update the events whose ids match, add the new ones",
}
EDITABLE = ("score", "category", "weight", "included")
COMPARED = ("date", "end_date", "title", "summary", "category", "score", "persistence", "actor", "source_url")


@dataclass(frozen=True)
class Assembled:
    """The events in use, and what could not be applied."""

    events: pd.DataFrame  # upload, coding, edits and rescorings applied
    unscored: pd.DataFrame  # upload and edits only: what a comparison model starts from
    clashes: list[str] = field(default_factory=list)  # ids an "extend" upload shares with the shipped events
    unknown: dict[str, list[str]] = field(default_factory=dict)  # kind of change → ids not in the data


def combine(shipped: pd.DataFrame, uploaded: pd.DataFrame | None, mode: Mode) -> tuple[pd.DataFrame, list[str]]:
    """The events before edits: the upload alone, the shipped events extended by it, or updated from it.

    Returns the events and, for "extend", the uploaded ids already used by the shipped events (left out).
    """
    if uploaded is None:
        return shipped, []
    if mode == "replace":
        return uploaded, []
    clashes = sorted(set(shipped["id"]) & set(uploaded["id"]))
    if mode == "extend":
        added = uploaded[~uploaded["id"].isin(clashes)]
        kept = shipped
    else:  # update: the upload's rows win where the ids match
        added = uploaded
        kept = shipped[~shipped["id"].isin(uploaded["id"])]
        clashes = []
    combined = pd.concat([kept, added], ignore_index=True)
    return combined.sort_values(["date", "id"], kind="stable").reset_index(drop=True), clashes


def apply_edits(
    events: pd.DataFrame, edits: Mapping[str, Mapping[str, object]], codebook: Codebook
) -> tuple[pd.DataFrame, list[str]]:
    """A copy of ``events`` with per-event edits applied; also the ids not found. Invalid values are skipped."""
    if not edits:
        return events, []
    out = events.copy()
    position = {event_id: i for i, event_id in enumerate(out["id"])}
    unknown = [event_id for event_id in edits if event_id not in position]
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
    return out, unknown


def apply_overrides(events: pd.DataFrame, overrides: Mapping[str, float]) -> tuple[pd.DataFrame, list[str]]:
    """A copy of ``events`` with the scores of the given ids replaced; also the ids not found."""
    if not overrides:
        return events, []
    known = set(events["id"])
    unknown = [event_id for event_id in overrides if event_id not in known]
    events = events.copy()
    mask = events["id"].isin(list(overrides))
    events.loc[mask, "score"] = events.loc[mask, "id"].map(overrides).astype(float)
    return events, unknown


def apply_coder(
    events: pd.DataFrame, codings: pd.DataFrame | None, coder: str | None, shipped: pd.DataFrame, codebook: Codebook
) -> pd.DataFrame:
    """The events with one coder's scores (``coder`` one of the codebook's coders); the adjudicated scores (the
    codebook's ``adjudicated``, or None) leave them as they are.

    Only shipped events whose score is still the shipped (adjudicated) one take the other coding's score:
    an uploaded or edited score is the user's own and stays.
    """
    if coder not in codebook.coders or codings is None or codings.empty:
        return events
    other = codings.set_index("id")[codebook.coders[coder].score_column]
    adjudicated = shipped.set_index("id")["score"]
    ids = events["id"]
    unchanged = ids.map(adjudicated).eq(events["score"]) & ids.isin(other.index)
    if not unchanged.any():
        return events
    out = events.copy()
    out.loc[unchanged, "score"] = ids[unchanged].map(other).astype(float)
    return out


def assemble(
    shipped: pd.DataFrame,
    codebook: Codebook,
    uploaded: pd.DataFrame | None = None,
    mode: Mode = "replace",
    edits: Mapping[str, Mapping[str, object]] | None = None,
    overrides: Mapping[str, float] | None = None,
    coder: str | None = None,  # None: the adjudicated scores
    codings: pd.DataFrame | None = None,
) -> Assembled:
    """Upload, then edits, then the coding chosen, then the link's rescorings: the events the index uses."""
    base, clashes = combine(shipped, uploaded, mode)
    edited, unknown_edits = apply_edits(base, edits or {}, codebook)
    coded = apply_coder(edited, codings, coder, shipped, codebook)
    scored, unknown_overrides = apply_overrides(coded, overrides or {})
    unknown = {kind: ids for kind, ids in (("edits", unknown_edits), ("rescorings", unknown_overrides)) if ids}
    return Assembled(scored, edited, clashes, unknown)


@dataclass(frozen=True)
class ChangeSummary:
    """What an upload changed against the shipped events."""

    added: list[str]
    removed: list[str]
    changed: dict[str, list[str]]  # id → the fields that differ

    def __str__(self) -> str:
        return f"{len(self.changed)} changed, {len(self.added)} added, {len(self.removed)} removed"


def summarise_changes(shipped: pd.DataFrame, in_use: pd.DataFrame) -> ChangeSummary:
    """Which events an upload added, removed and changed (with the fields), by id."""
    old = shipped.set_index("id")
    new = in_use.set_index("id")
    added = [i for i in new.index if i not in old.index]
    removed = [i for i in old.index if i not in new.index]
    common = [i for i in new.index if i in old.index]
    changed: dict[str, list[str]] = {}
    for column in COMPARED:
        a, b = old.loc[common, column], new.loc[common, column]
        differs = ~((a == b) | (a.isna() & b.isna()))
        for event_id in differs[differs].index:
            changed.setdefault(event_id, []).append(column)
    return ChangeSummary(added, removed, changed)


def _number_in(value: object, low: float, high: float) -> bool:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return low <= number <= high
