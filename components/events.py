"""Loading and validating the hand-scored events.

One loader reads a CSV (the shipped ``data/events.csv`` or a user's upload);
one pandera schema validates it. Validation is lazy: every problem in the
file is collected and reported at once, with its line, column, bad value and
what was expected, so that a user can fix a file in one pass.

The schema checks the raw text of each cell before anything is converted, so
a problem is always reported with the value exactly as it stood in the file.

Over 400 lines, on purpose: the schema's checks are many small rules (dates, precision, scores, persistence,
the `ends`/`suspends`/`conflict` links and their cycles), and each must say its line and column; split, the
rules and the messages that name them would live apart.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from components.codebook import Codebook, Persistence
from components.text import ID_PATTERN, ID_RULE, WEB_URL_PATTERN, WEB_URL_RULE, neutralise, restore

REQUIRED_COLUMNS = ("id", "date", "title", "summary", "category", "score", "source_url")


def optional_defaults(codebook: Codebook) -> dict[str, str]:
    """Optional columns and the value a missing one takes (the persistence and confidence the codebook's)."""
    return {
        "date_precision": "",
        "end_date": "",
        "persistence": codebook.persistence.default,
        "actor": "both",
        "rationale": "",
        "source_title": "",
        "in_article": "false",
        "confidence": codebook.default_confidence,
        "weight": "1",
        "included": "true",
        "ends": "",
        "suspends": "",
        "conflict": "",
        "aliases": "",
    }


COLUMNS = (
    "id",
    "date",
    "date_precision",
    "end_date",
    "title",
    "summary",
    "category",
    "score",
    "persistence",
    "actor",
    "rationale",
    "source_title",
    "source_url",
    "in_article",
    "confidence",
    "weight",
    "included",
    "ends",
    "suspends",
    "conflict",
    "aliases",
)
TRUE_WORDS = ("true", "yes", "1")
FALSE_WORDS = ("false", "no", "0", "")
TEXT_COLUMNS = ("title", "summary", "rationale", "source_title", "aliases")
MAX_TEXT = 2000  # characters in any text cell; longer is a mistake or an attack
MAX_WEIGHT = 10.0
MAX_EVENTS = 20_000  # rows in one uploaded file: the upload limit (5 MB) holds about this many real events

# Dates the index can draw: well before NATO's founding, up to this year; anything outside is a typing
# mistake (2062 for 2026) or an attack, would break the monthly arithmetic or write past the years control.
DATE_YEARS = (1900, 2100)  # the type's bounds; build_schema narrows the upper one to this year


def date_years() -> tuple[int, int]:
    """The years an event's date or end may fall in: from 1900 to this year (events have happened)."""
    return DATE_YEARS[0], min(DATE_YEARS[1], pd.Timestamp.today().year)


def or_list(words) -> str:
    """Words as an error message offers them: "high, medium or low"."""
    words = list(words)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


END_CHECK = "an end_date on or after the date"
ENDS_CHECK = (
    "an `ends` naming other, earlier state or structural events of the file (ids separated by spaces), "
    "with no rows that end each other"
)
SUSPENDS_CHECK = (
    "`suspends` only on a state, naming other earlier state or structural events of the file (ids separated by spaces)"
)
CONFLICT_CHECK = "a `conflict` group only on states, all of one sign"
FRAME_CHECKS = {END_CHECK: "end_date", ENDS_CHECK: "ends", SUSPENDS_CHECK: "suspends", CONFLICT_CHECK: "conflict"}
_DATE_RE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where, what was there, what was expected."""

    line: int | None
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        place = ", ".join(where) or "file"
        shown = "" if self.value is None else f": found {_shorten(self.value)!r}"
        return f"{place}{shown}; expected {self.expected}"


class DatasetError(ValueError):
    """The file is not a valid events dataset; ``problems`` says every reason."""

    def __init__(self, problems: Iterable[Problem], file: str = "the events file"):
        self.problems = sorted(problems, key=lambda p: (p.line or 0, p.column or ""))
        self.file = file
        super().__init__(self.summary())

    def summary(self, limit: int = 20) -> str:
        lines = [str(p) for p in self.problems[:limit]]
        more = len(self.problems) - limit
        if more > 0:
            lines.append(f"… and {more} more")
        return f"{len(self.problems)} problem(s) in {self.file}:\n" + "\n".join(lines)


def _shorten(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _parses_as_date(values: pd.Series, years: tuple[int, int] = DATE_YEARS) -> pd.Series:
    text = values.astype(str)
    ok_shape = text.str.match(_DATE_RE)
    # The years are checked before parsing: pandas can't hold dates before 1677 or after 2262.
    year = pd.to_numeric(text.str[:4].where(ok_shape, ""), errors="coerce")
    in_range = year.between(*years)
    parsed = pd.to_datetime(_pad_month(text.where(ok_shape & in_range, "")), errors="coerce", format="%Y-%m-%d")
    return ok_shape & in_range & parsed.notna()


def _pad_month(text: pd.Series) -> pd.Series:
    return text.where(text.str.len() != 7, text + "-01")


def _numeric_between(low: float, high: float):
    def check(values: pd.Series) -> pd.Series:
        numbers = pd.to_numeric(values.astype(str).str.strip(), errors="coerce")
        return numbers.between(low, high) & numbers.notna()

    return check


def _text(required: bool = True, nullable_empty: bool = True, checks: list | None = None) -> pa.Column:
    all_checks = [pa.Check(lambda s: s.str.len() <= MAX_TEXT, error=f"at most {MAX_TEXT} characters")]
    if not nullable_empty:
        all_checks.append(pa.Check(lambda s: s.str.strip().str.len() > 0, error="a non-empty value"))
    return pa.Column(str, all_checks + (checks or []), required=required)


def build_schema(codebook: Codebook) -> pa.DataFrameSchema:
    """The schema of an events file, with the categories the codebook knows."""
    categories = list(codebook.category_keys)
    actors = list(codebook.actor_keys)
    lo, hi = codebook.scale_min, codebook.scale_max
    first, last = date_years()
    date_check = pa.Check(
        lambda s: _parses_as_date(s, (first, last)),
        error=f"a date written YYYY-MM-DD (or YYYY-MM), in the years {first}–{last}",
    )
    persistence, confidence = codebook.persistence, codebook.confidence_levels
    columns = {
        "id": pa.Column(str, pa.Check.str_matches(ID_PATTERN, error=ID_RULE), unique=True, report_duplicates="all"),
        "date": pa.Column(str, date_check),
        "date_precision": pa.Column(
            str, pa.Check.isin(["", "day", "month"], error="day, month or empty"), required=False
        ),
        "end_date": pa.Column(
            str,
            pa.Check(
                lambda s: (s == "") | _parses_as_date(s, (first, last)),
                error=f"empty or a date written YYYY-MM-DD, in the years {first}–{last}",
            ),
            required=False,
        ),
        "title": _text(
            nullable_empty=False,
            checks=[pa.Check(lambda s: s.str.len() <= 200, error="a title of at most 200 characters")],
        ),
        "summary": _text(),
        "category": pa.Column(
            str, pa.Check.isin(categories, error=f"one of the codebook's categories: {', '.join(categories)}")
        ),
        "score": pa.Column(str, pa.Check(_numeric_between(lo, hi), error=f"a number from {lo} to {hi}")),
        "persistence": pa.Column(
            str, pa.Check.isin(persistence.kinds, error=or_list(persistence.kinds)), required=False
        ),
        "ends": _id_list(),
        "suspends": _id_list(),
        "conflict": pa.Column(
            str,
            pa.Check.str_matches(r"^([a-z0-9][a-z0-9-]{0,59})?$", error="empty or a short lower-case slug"),
            required=False,
        ),
        "aliases": _text(required=False),
        "actor": pa.Column(str, pa.Check.isin(actors, error="one of " + ", ".join(actors)), required=False),
        "rationale": _text(required=False),
        "source_title": _text(required=False),
        "source_url": pa.Column(
            str,
            [
                pa.Check.str_matches(WEB_URL_PATTERN, error=WEB_URL_RULE),
                pa.Check(lambda s: s.str.len() <= MAX_TEXT, error=f"at most {MAX_TEXT} characters"),
            ],
        ),
        "in_article": pa.Column(
            str, pa.Check(lambda s: s.str.lower().isin(TRUE_WORDS + FALSE_WORDS), error="true or false"), required=False
        ),
        "confidence": pa.Column(str, pa.Check.isin(confidence, error=or_list(confidence)), required=False),
        "weight": pa.Column(
            str, pa.Check(_numeric_between(0, MAX_WEIGHT), error=f"a number from 0 to {MAX_WEIGHT:g}"), required=False
        ),
        "included": pa.Column(
            str, pa.Check(lambda s: s.str.lower().isin(TRUE_WORDS + FALSE_WORDS), error="true or false"), required=False
        ),
    }
    return pa.DataFrameSchema(
        columns,
        strict=True,
        checks=[
            pa.Check(_end_not_before_start, error=END_CHECK),
            pa.Check(lambda frame: _ends_are_valid(frame, persistence), error=ENDS_CHECK),
            pa.Check(lambda frame: _suspends_are_valid(frame, persistence), error=SUSPENDS_CHECK),
            pa.Check(lambda frame: _conflicts_are_valid(frame, persistence), error=CONFLICT_CHECK),
        ],
        name="events",
    )


def _id_list() -> pa.Column:
    """A column of event ids separated by spaces (``ends``, ``suspends``), or empty."""
    return pa.Column(
        str,
        pa.Check(
            lambda s: s.str.split().map(lambda ids: all(re.match(ID_PATTERN, i) for i in ids)).astype(bool),
            error="empty or event ids separated by spaces",
        ),
        required=False,
    )


def _end_not_before_start(frame: pd.DataFrame) -> pd.Series:
    if "end_date" not in frame:
        return pd.Series(True, index=frame.index)
    start = pd.to_datetime(_pad_month(frame["date"].astype(str)), errors="coerce", format="%Y-%m-%d")
    end = pd.to_datetime(_pad_month(frame["end_date"].astype(str)), errors="coerce", format="%Y-%m-%d")
    return end.isna() | start.isna() | (end >= start)


def _ends_are_valid(frame: pd.DataFrame, persistence: Persistence) -> pd.Series:
    """Each id a row ``ends`` (space-separated) names another earlier or same-month state or structural row of
    the file, and no rows end each other in a ring (A ends B, B ends A: both would silently count for nothing)."""
    if "ends" not in frame:
        return pd.Series(True, index=frame.index)
    kinds, dates, own = _kinds_and_dates(frame, persistence)
    targets = frame["ends"].astype(str).str.split().explode().dropna()
    ok = (
        targets.map(kinds).isin(persistence.standing)
        & (targets.map(dates).fillna("9999") <= own[targets.index])
        & (targets != frame["id"][targets.index])
    )
    ok = ok.groupby(level=0).all().reindex(frame.index, fill_value=True)
    return ok & ~frame["id"].isin(_in_rings(frame, "ends"))


def _in_rings(frame: pd.DataFrame, column: str) -> set[str]:
    """The ids on a cycle of the graph 'row → the ids its ``column`` names' (a loop over the few naming rows)."""
    graph = {i: [t for t in str(v).split() if t] for i, v in zip(frame["id"], frame[column]) if str(v).strip()}
    on_ring: set[str] = set()
    for start in graph:
        stack, seen = list(graph[start]), set()
        while stack:
            node = stack.pop()
            if node == start:
                on_ring.add(start)
                break
            if node not in seen:
                seen.add(node)
                stack.extend(graph.get(node, []))
    return on_ring


def _kinds_and_dates(frame: pd.DataFrame, persistence: Persistence) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Each id's persistence and date, and each row's own date, as text that compares by time.

    A month-precision date is read as the month's first day where it is named (the target) and its last where
    it names (the row itself), so a row may end or suspend a state of the same month whatever their precisions.
    """
    by_id = frame.drop_duplicates("id").set_index("id")
    kinds = _kinds(by_id, persistence)
    as_text = lambda s, day: s.astype(str).where(s.astype(str).str.len() != 7, s.astype(str) + day)  # noqa: E731
    return kinds, as_text(by_id["date"], "-00"), as_text(frame["date"], "-99")


def _kinds(frame: pd.DataFrame, persistence: Persistence) -> pd.Series:
    """Each row's persistence, the codebook's default where it is empty or the column missing."""
    if "persistence" not in frame:
        return pd.Series(persistence.default, frame.index)
    return frame["persistence"].replace("", persistence.default)


def _suspends_are_valid(frame: pd.DataFrame, persistence: Persistence) -> pd.Series:
    """A row that ``suspends`` others is a state; each id it names is another earlier or same-day standing row."""
    if "suspends" not in frame:
        return pd.Series(True, index=frame.index)
    kinds, dates, own = _kinds_and_dates(frame, persistence)
    own_kind = _kinds(frame, persistence)
    targets = frame["suspends"].astype(str).str.split().explode().dropna()
    ok = (
        targets.map(kinds).isin(persistence.standing)
        & (targets.map(dates).fillna("9999") <= own[targets.index])
        & (targets != frame["id"][targets.index])
        & (own_kind[targets.index] == persistence.state)
    )
    ok = ok.groupby(level=0).all().reindex(frame.index, fill_value=True)
    return ok & ~frame["id"].isin(_in_rings(frame, "suspends"))


def _conflicts_are_valid(frame: pd.DataFrame, persistence: Persistence) -> pd.Series:
    """Members of a ``conflict`` group are states, and a group's scores all have one sign."""
    if "conflict" not in frame:
        return pd.Series(True, index=frame.index)
    grouped = frame["conflict"].astype(str) != ""
    kind = _kinds(frame, persistence)
    sign = pd.Series(np.sign(pd.to_numeric(frame["score"], errors="coerce")), index=frame.index)
    signs = sign[grouped].groupby(frame["conflict"][grouped]).nunique()
    mixed = frame["conflict"].map(signs).fillna(0) > 1
    return ~grouped | ((kind == persistence.state) & ~mixed)


def read_raw(
    source: str | Path | bytes, required: Iterable[str] = REQUIRED_COLUMNS, file: str = "the events file"
) -> pd.DataFrame:
    """Read a CSV into a frame of text cells, or raise :class:`DatasetError` saying why it can't be."""
    try:
        return _read_raw(source, required)
    except DatasetError as err:
        raise DatasetError(err.problems, file=file) from None


def _read_raw(source: str | Path | bytes, required: Iterable[str]) -> pd.DataFrame:
    if isinstance(source, (str, Path)):
        data = Path(source).read_bytes()
    else:
        data = bytes(source)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a byte-order mark, as spreadsheet programs write; harmless
    if not data.strip():
        raise DatasetError(
            [Problem(None, None, None, "a CSV file with a header line and at least one event; the file is empty")]
        )
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise DatasetError(
            [
                Problem(
                    None,
                    None,
                    None,
                    "a CSV text file; this is an Excel workbook or a zip archive: "
                    "in Excel choose File → Save As → 'CSV UTF-8 (comma delimited)'",
                )
            ]
        )
    if b"\x00" in data:
        raise DatasetError(
            [Problem(None, None, None, "a text CSV file; this looks like a binary file (it holds NUL bytes)")]
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise DatasetError(
            [
                Problem(
                    line, None, f"byte 0x{data[err.start]:02x}", "text encoded as UTF-8 (save the file as 'CSV UTF-8')"
                )
            ]
        ) from None
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as err:
        raise DatasetError([Problem(None, None, None, f"a well-formed CSV file ({err})")]) from None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise DatasetError([Problem(None, None, None, "a CSV file with a header line and at least one event")])
    if len(rows) - 1 > MAX_EVENTS:
        # Bounded work per upload: validating, drawing and listing 10^5 events kept the page busy for minutes.
        raise DatasetError(
            [
                Problem(
                    None,
                    None,
                    f"{len(rows) - 1:,} events",
                    f"at most {MAX_EVENTS:,} events in one file (the shipped dataset has about 550); split the file "
                    "or upload the events of the years you study",
                )
            ]
        )
    header = [cell.strip() for cell in rows[0]]
    # Spreadsheets write empty cells after the last column; trailing columns that are empty throughout go.
    while header and header[-1] == "" and all(len(r) == len(header) and not r[-1].strip() for r in rows[1:]):
        header.pop()
        rows = [r[:-1] for r in rows]
    if len(header) == 1 and ";" in rows[0][0]:
        raise DatasetError(
            [
                Problem(
                    1,
                    None,
                    rows[0][0][:60],
                    "a comma-separated file; this one separates its "
                    "columns with semicolons (as Excel does in some countries): save it as "
                    "'CSV UTF-8 (comma delimited)' or replace the semicolons with commas",
                )
            ]
        )
    problems = []
    if len(set(header)) != len(header):
        dupes = sorted({h for h in header if header.count(h) > 1})
        problems.append(Problem(1, None, ", ".join(dupes), "each column name once"))
    required = tuple(required)
    missing = [c for c in required if c not in header]
    if missing:
        problems.append(
            Problem(
                1,
                None,
                ", ".join(header)[:200],
                "the columns " + ", ".join(required) + "; missing: " + ", ".join(missing),
            )
        )
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            problems.append(Problem(number, None, f"{len(row)} fields", f"{len(header)} fields, one per column"))
            if len(problems) > 50:
                break
    if problems:
        raise DatasetError(problems)
    if len(rows) < 2:
        raise DatasetError([Problem(None, None, None, "at least one event below the header line")])
    frame = pd.DataFrame(rows[1:], columns=header, dtype=str)
    frame.index = pd.RangeIndex(2, len(frame) + 2)  # index = line number in the file
    return frame


def validate(raw: pd.DataFrame, codebook: Codebook, file: str = "the events file") -> pd.DataFrame:
    """Validate a frame of text cells and return the typed events frame.

    Raises :class:`DatasetError` with every problem found.
    """
    raw = raw.copy()
    defaults = optional_defaults(codebook)
    for column in raw.columns:
        raw[column] = raw[column].astype(str).str.strip()
        if column in TEXT_COLUMNS:
            raw[column] = raw[column].map(restore)
        if defaults.get(column):
            # A blank optional cell (a spreadsheet leaves one where nothing was typed) takes the column's default.
            raw[column] = raw[column].replace("", defaults[column])
    schema = build_schema(codebook)
    try:
        schema.validate(raw, lazy=True)
    except pa.errors.SchemaErrors as err:
        raise DatasetError(_problems_from(err.failure_cases), file=file) from None
    return _typed(raw, defaults)


def _problems_from(cases: pd.DataFrame) -> list[Problem]:
    problems = []
    end_lines = set()
    for case in cases.itertuples(index=False):
        check = str(case.check)
        value = None if pd.isna(case.failure_case) else str(case.failure_case)
        line = None if case.index is None or pd.isna(case.index) else int(case.index)
        column = None if case.column is None or pd.isna(case.column) else str(case.column)
        if check in FRAME_CHECKS:
            column = FRAME_CHECKS[check]
            if (line, column) not in end_lines:  # a frame-wide check names every column; one problem per row
                end_lines.add((line, column))
                problems.append(Problem(line, column, None, check))
        elif check == "column_in_schema":
            problems.append(Problem(1, value, value, "only known columns: " + ", ".join(COLUMNS)))
        elif check == "field_uniqueness":
            problems.append(Problem(line, column, value, "a unique id (this one is used more than once)"))
        elif check.startswith("dtype("):
            problems.append(Problem(line, column, value, "text"))
        else:
            problems.append(Problem(line, column, value, check))
    return problems


def _typed(raw: pd.DataFrame, defaults: dict[str, str]) -> pd.DataFrame:
    frame = raw.copy()
    for column, default in defaults.items():
        if column not in frame:
            frame[column] = default
    frame = frame[list(COLUMNS)]
    day_precise = frame["date"].str.len() == 10
    frame["date_precision"] = frame["date_precision"].where(
        frame["date_precision"] != "", day_precise.map({True: "day", False: "month"})
    )
    frame["date"] = pd.to_datetime(_pad_month(frame["date"]), format="%Y-%m-%d")
    frame["end_date"] = pd.to_datetime(
        _pad_month(frame["end_date"]).replace("", None), format="%Y-%m-%d", errors="coerce"
    )
    frame["score"] = pd.to_numeric(frame["score"]).astype(float)
    frame["weight"] = pd.to_numeric(frame["weight"].replace("", "1")).astype(float)
    frame["in_article"] = frame["in_article"].str.lower().isin(TRUE_WORDS)
    frame["included"] = frame["included"].str.lower().isin(TRUE_WORDS) | (frame["included"] == "")
    for column in ("persistence", "actor", "confidence"):
        frame[column] = frame[column].replace("", defaults[column])
    frame = frame.sort_values(["date", "id"], kind="stable").reset_index(drop=True)
    return frame


def load_events(source: str | Path | bytes, codebook: Codebook, file: str = "the events file") -> pd.DataFrame:
    """Read and validate an events CSV. Raises :class:`DatasetError` naming ``file``."""
    return validate(read_raw(source, file=file), codebook, file=file)


# Writing ------------------------------------------------------------------------------------


def safe_csv(frame: pd.DataFrame, header_lines: list[str] | None = None) -> str:
    """CSV text with every text cell neutralised (see ``components.text``); optional '# ' comment lines first."""
    buffer = io.StringIO()
    for line in header_lines or []:
        buffer.write("# " + line.replace("\n", " ").replace("\r", " ") + "\r\n")
    # "\r\n", as RFC 4180 has it: the writer then quotes any cell holding a bare "\r" too,
    # which it would not do with "\n" alone, and the file reads back exactly.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(frame.columns)
    for row in frame.itertuples(index=False):
        writer.writerow([_format(neutralise(cell)) for cell in row])
    return buffer.getvalue()


def _format(cell: object) -> object:
    if isinstance(cell, float):
        return "" if pd.isna(cell) else repr(round(cell, 10))
    if isinstance(cell, pd.Timestamp):
        return "" if pd.isna(cell) else cell.strftime("%Y-%m-%d")
    return cell


def events_table(events: pd.DataFrame) -> pd.DataFrame:
    """The events as text cells in the dataset's file format (the inverse of loading)."""
    out = pd.DataFrame(index=events.index)
    for column in COLUMNS:
        values = events[column]
        if column == "date":
            out[column] = [
                # A month-precision date written as YYYY-MM, unless it carries a day of its own (an upload may).
                d.strftime("%Y-%m" if p == "month" and d.day == 1 else "%Y-%m-%d")
                for d, p in zip(values, events["date_precision"])
            ]
        elif column == "end_date":
            out[column] = ["" if pd.isna(d) else d.strftime("%Y-%m-%d") for d in values]
        elif column in ("score", "weight"):
            # The shortest positional text that reads back as the same float (":g" kept six digits only; an
            # exponent such as 1e-07 would look like a formula to a spreadsheet and be neutralised).
            out[column] = [
                np.format_float_positional(float(v), unique=True, trim="-") if float(v) != int(v) else str(int(v))
                for v in values
            ]
        elif column in ("in_article", "included"):
            out[column] = ["true" if v else "false" for v in values]
        else:
            out[column] = values.astype(str)
    return out.reset_index(drop=True)


def events_csv(events: pd.DataFrame) -> str:
    """The events as a CSV that loads back to exactly the same dataset."""
    return safe_csv(events_table(events))
