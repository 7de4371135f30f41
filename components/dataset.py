"""The shipped dataset as one object: the codebook, the events, the eras and the article's claims.

Also the per-event score overrides a shared link can carry.
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

CODING_COLUMNS = ["id", "score_a", "persistence_a", "score_b", "persistence_b", "note_b", "adjudication"]
CODING_SCHEMA = pa.DataFrameSchema(
    {
        "id": pa.Column(str, pa.Check.str_matches(ID_PATTERN), unique=True),
        "score_a": pa.Column(str, pa.Check.str_matches(r"^-?\d+$", error="a whole number")),
        "persistence_a": pa.Column(str, pa.Check.isin(["shock", "state", "structural"])),
        "score_b": pa.Column(str, pa.Check.str_matches(r"^-?\d+$", error="a whole number")),
        "persistence_b": pa.Column(str, pa.Check.isin(["shock", "state", "structural"])),
        "note_b": pa.Column(str),
        "adjudication": pa.Column(str),
    },
    strict=True,
    name="codings",
)

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
    codings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CODING_COLUMNS))


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
        codings=load_codings(data_dir / "codings.csv"),
    )


def load_codings(path: Path = paths.DATA_DIR / "codings.csv") -> pd.DataFrame:
    """The two codings of every shipped event (A, and B made blind) and the adjudication, keyed by id."""
    if not path.exists():
        return pd.DataFrame(columns=CODING_COLUMNS)
    codings = _validated(path, CODING_SCHEMA)
    for column in ("score_a", "score_b"):
        codings[column] = codings[column].astype(float)
    return codings


def eras_of(eras: pd.DataFrame, dates) -> np.ndarray:
    """The name of the era holding each date ("" outside every era), for many dates at once."""
    dates = pd.DatetimeIndex(dates)
    names = np.full(len(dates), "", dtype=object)
    for era in eras.itertuples(index=False):
        inside = (dates >= era.start) & ((dates <= era.end) if pd.notna(era.end) else True)
        names[inside & (names == "")] = era.name
    return names
