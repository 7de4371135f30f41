"""The shipped dataset as one object: the codebook, the events, the eras and the article's claims.

Also the questions a page asks of those tables (where the data end, an event's neighbours, the claims about an
event, the coverage by year and kind): they read the events in use (shipped, uploaded or edited), not a view.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from components import paths
from components.codebook import Codebook, load_codebook
from components.events import DatasetError, Problem, load_events, read_raw
from components.text import ID_PATTERN, WEB_URL_PATTERN, WEB_URL_RULE


def coding_schema(codebook: Codebook) -> pa.DataFrameSchema:
    """The codings file's schema: each of the codebook's coders' score and persistence (and notes, where kept)."""
    columns = {"id": pa.Column(str, pa.Check.str_matches(ID_PATTERN), unique=True)}
    for coder in codebook.coders.values():
        columns[coder.score_column] = pa.Column(str, pa.Check.str_matches(r"^-?\d+$", error="a whole number"))
        columns[coder.persistence_column] = pa.Column(str, pa.Check.isin(codebook.persistence.kinds))
        if coder.notes:
            columns[coder.note_column] = pa.Column(str)
    columns["adjudication"] = pa.Column(str)
    return pa.DataFrameSchema(columns, strict=True, name="codings")


ERA_SCHEMA = pa.DataFrameSchema(
    {
        "id": pa.Column(str, unique=True),
        "name": pa.Column(str, pa.Check(lambda s: s.str.len().between(1, 60), error="a name of 1 to 60 characters")),
        "start": pa.Column(str, pa.Check.str_matches(r"^\d{4}-\d{2}-\d{2}$", error="a date written YYYY-MM-DD")),
        "end": pa.Column(
            str, pa.Check.str_matches(r"^(\d{4}-\d{2}-\d{2})?$", error="empty or a date written YYYY-MM-DD")
        ),
        "description": pa.Column(str),
        "source_title": pa.Column(str),
        "source_url": pa.Column(str, pa.Check.str_matches(WEB_URL_PATTERN, error=WEB_URL_RULE)),
    },
    strict=True,
    name="eras",
)


def claim_schema(codebook: Codebook) -> pa.DataFrameSchema:
    """The article-claims file's schema, with the verdicts the codebook knows."""
    verdicts = list(codebook.verdicts)
    return pa.DataFrameSchema(
        {
            "id": pa.Column(str, pa.Check.str_matches(ID_PATTERN), unique=True),
            "claim": pa.Column(str),
            "quote": pa.Column(str),
            "verdict": pa.Column(str, pa.Check.isin(verdicts, error="one of " + ", ".join(verdicts))),
            "correction": pa.Column(str),
            "source_title": pa.Column(str),
            "source_url": pa.Column(str, pa.Check.str_matches(WEB_URL_PATTERN, error=WEB_URL_RULE)),
            "event_ids": pa.Column(str),
        },
        strict=True,
        name="article_claims",
    )


@dataclass(frozen=True)
class Dataset:
    codebook: Codebook
    events: pd.DataFrame
    eras: pd.DataFrame
    claims: pd.DataFrame
    codings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["id"]))


def _validated(path: Path, schema: pa.DataFrameSchema) -> pd.DataFrame:
    raw = read_raw(path, required=list(schema.columns), file=path.name)
    try:
        schema.validate(raw, lazy=True)
    except pa.errors.SchemaErrors as err:
        raise DatasetError(
            (
                Problem(
                    None if pd.isna(c.index) else int(c.index),
                    None if pd.isna(c.column) else str(c.column),
                    None if pd.isna(c.failure_case) else str(c.failure_case),
                    str(c.check),
                )
                for c in err.failure_cases.itertuples(index=False)
            ),
            file=path.name,
        ) from None
    return raw.reset_index(drop=True)


def load_eras(path: Path = paths.ERAS_CSV) -> pd.DataFrame:
    """Named periods, with ``start`` and ``end`` as timestamps (``end`` NaT for the current era)."""
    if not path.exists():
        return pd.DataFrame(
            {
                "id": [],
                "name": [],
                "start": pd.to_datetime([]),
                "end": pd.to_datetime([]),
                "description": [],
                "source_title": [],
                "source_url": [],
            }
        )
    eras = _validated(path, ERA_SCHEMA)
    eras["start"] = pd.to_datetime(eras["start"])
    eras["end"] = pd.to_datetime(eras["end"].replace("", None))
    return eras.sort_values("start").reset_index(drop=True)


def load_claims(codebook: Codebook, path: Path = paths.ARTICLE_CLAIMS_CSV) -> pd.DataFrame:
    schema = claim_schema(codebook)
    if not path.exists():
        return pd.DataFrame(columns=list(schema.columns))
    return _validated(path, schema)


def load_dataset(data_dir: Path = paths.DATA_DIR) -> Dataset:
    """Read and validate everything under ``data/``. Raises :class:`DatasetError`."""
    codebook = load_codebook(data_dir / "codebook.toml")
    return Dataset(
        codebook=codebook,
        events=load_events(data_dir / "events.csv", codebook, file="events.csv"),
        eras=load_eras(data_dir / "eras.csv"),
        claims=load_claims(codebook, data_dir / "article_claims.csv"),
        codings=load_codings(codebook, data_dir / "codings.csv"),
    )


def load_codings(codebook: Codebook, path: Path = paths.DATA_DIR / "codings.csv") -> pd.DataFrame:
    """The two codings of every shipped event (A, and B made blind) and the adjudication, keyed by id."""
    schema = coding_schema(codebook)
    if not path.exists():
        return pd.DataFrame(columns=list(schema.columns))
    codings = _validated(path, schema)
    for coder in codebook.coders.values():
        codings[coder.score_column] = codings[coder.score_column].astype(float)
    return codings


def eras_of(eras: pd.DataFrame, dates) -> np.ndarray:
    """The name of the era holding each date ("" outside every era), for many dates at once."""
    dates = pd.DatetimeIndex(dates)
    names = np.full(len(dates), "", dtype=object)
    for era in eras.itertuples(index=False):
        inside = (dates >= era.start) & ((dates <= era.end) if pd.notna(era.end) else True)
        names[inside & (names == "")] = era.name
    return names


# Questions asked of the events ---------------------------------------------------------------


def data_end(events: pd.DataFrame) -> pd.Timestamp | None:
    """The last date the data in use say anything about: the latest included event's date, or a state's end
    after it (an upload may end a state after its last event). None when no event is included.

    The one answer to "where do the data end": the months after this date's month hold its value
    (``view.held_from``), the chart shades from it, the headline says the value there is carried, a
    decomposition there is that of this month, and the series export marks those months ``carried``.
    """
    # Two columns, not the filtered frame: this is asked several times a weight step.
    included = events["included"].to_numpy(dtype=bool) if "included" in events else np.ones(len(events), dtype=bool)
    if not included.any():
        return None
    end = pd.Timestamp(events["date"].to_numpy()[included].max())
    if "end_date" in events:
        ends = events["end_date"].to_numpy()[included]
        ends = ends[~pd.isna(ends)]
        if len(ends):
            end = max(end, pd.Timestamp(ends.max()))
    return end


def neighbours(events: pd.DataFrame, event_id: str | None) -> tuple[str | None, str | None]:
    """The events just before and just after one, in date order (None at either end or when not found)."""
    ordered = events.sort_values(["date", "id"], kind="stable")["id"].tolist()
    if event_id not in ordered:
        return (None, ordered[0] if ordered else None)
    i = ordered.index(event_id)
    return (ordered[i - 1] if i > 0 else None, ordered[i + 1] if i + 1 < len(ordered) else None)


def same_place(events: pd.DataFrame, event_id: str | None) -> pd.DataFrame:
    """The other events of the selected one's month: at the full range their markers are drawn within a pixel
    or two of it (on the same spot when on the same date), so no click or tap can tell them apart, and the
    story panel offers them instead (id, title and date, in date and id order)."""
    row = events[events["id"] == event_id]
    if row.empty:
        return events.iloc[0:0][["id", "title", "date"]]
    month = pd.Timestamp(row["date"].iloc[0]).to_period("M")
    others = events[(events["date"].dt.to_period("M") == month) & (events["id"] != event_id)]
    return others.sort_values(["date", "id"], kind="stable")[["id", "title", "date"]].reset_index(drop=True)


def events_per_year(events: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Events per year by category (the coverage chart): one row a year, one column a category label."""
    table = pd.crosstab(events["date"].dt.year, events["category"]).reindex(
        columns=list(codebook.category_keys), fill_value=0
    )
    years = range(int(table.index.min()), int(table.index.max()) + 1)
    return table.reindex(years, fill_value=0).rename(columns=codebook.category_labels).rename_axis("year")


def coverage_by_kind(events: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Rows of each of the codebook's kinds of event (``[[kinds]]``) by decade: one row a kind, one column a
    decade ("1940s" …), and a total. A row is of a kind when the kind's pattern matches its id, title or aliases;
    a row may be of two kinds (a summit that agreed an exchange)."""
    text = (events["id"] + " " + events["title"] + " " + events["aliases"].fillna("")).str.lower()
    decades = (events["date"].dt.year // 10 * 10).astype(int)
    labels = [f"{d}s" for d in range(int(decades.min()), int(decades.max()) + 1, 10)]
    rows = {}
    for kind in codebook.kinds:
        hit = text.str.contains(kind.match, regex=True)
        counts = decades[hit].map(lambda d: f"{d}s").value_counts()
        rows[kind.label] = [int(counts.get(label, 0)) for label in labels]
    table = pd.DataFrame.from_dict(rows, orient="index", columns=labels)
    table["total"] = table.sum(axis=1)
    return table.rename_axis("kind")


# Questions asked of the article's claims -----------------------------------------------------


def claims_by_event(claims: pd.DataFrame, named: list[str]) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Each claim once: under the first of the named events (in ``named``'s order) that it concerns.

    Returns the claims by event id, and the claims that concern none of the named events.
    """
    if claims.empty:
        return {}, claims
    order = {event_id: i for i, event_id in enumerate(named)}
    home = (
        claims["event_ids"]
        .str.split()
        .map(lambda ids: min((i for i in ids if i in order), key=order.get, default=None))
    )
    by_event = {event_id: claims[home == event_id] for event_id in named if (home == event_id).any()}
    return by_event, claims[home.isna()]


def claims_about(claims: pd.DataFrame, event_id: str) -> pd.DataFrame:
    """The article's claims that concern one event (:func:`claims_by_event` with that event alone)."""
    return claims_by_event(claims, [event_id])[0].get(event_id, claims.iloc[0:0])
