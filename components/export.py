"""Export the monthly series as CSV, exactly as the dashboard computes it.

Command line::

    python -m components.export --out index.csv [--query 'w_military=2&hl=24']

``--query`` takes the query string of a dashboard link (or the whole link),
so any view a user shares can be reproduced from the command line. With no
``--query``, the defaults. Settings that were not applied as given are
reported on standard error, as the app reports them on the page.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

import pandas as pd

from components import url_state
from components.dataset import Dataset, load_dataset
from components.events import COLUMNS
from components.text import neutralise
from components.view import View, compute

def safe_csv(frame: pd.DataFrame, header_lines: list[str] | None = None) -> str:
    """CSV text with every text cell neutralised; optional '# ' comment lines first."""
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


def series_header(view: View, query: str) -> list[str]:
    params = view.params
    weights = ", ".join(f"{k}={v:g}" for k, v in params.category_weights.items())
    lines = [
        f"NATO-Russia Relations Index, model version {url_state.MODEL_VERSION}",
        f"view: ?{query}" if query else "view: defaults",
        f"category weights: {weights}",
        "actor weights: " + (", ".join(f"{k}={v:g}" for k, v in params.actor_weights.items()) or "all 1"),
        f"half-life (months): {params.half_life_months:g}; baseline: {params.baseline:g}; "
        f"structural weight: {params.structural_weight:g}; squash width: {params.squash_width:g}",
    ]
    if view.band is not None:
        lines.append(f"band: 10th-90th percentile of {view.band.draws} draws, spread {view.band.spread:g}")
    return lines


def series_csv(view: View, query: str) -> str:
    """The series as the dashboard's download and this command write it."""
    return safe_csv(view.frame(), series_header(view, query))


def export(query: str = "", dataset: Dataset | None = None) -> tuple[str, list[url_state.Notice]]:
    dataset = dataset or load_dataset()
    state, notices = url_state.decode(query, dataset.codebook, today_year=pd.Timestamp.today().year)
    view = compute(dataset, state)
    return series_csv(view, url_state.encode(state, dataset.codebook)), notices


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m components.export", description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, help="where to write the CSV ('-' for standard output)")
    parser.add_argument("--query", default="", help="a dashboard link or its query string")
    args = parser.parse_args(argv)
    text, notices = export(args.query)
    for notice in notices:
        print(f"warning: {notice}", file=sys.stderr)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def events_table(events: pd.DataFrame) -> pd.DataFrame:
    """The events as text cells in the dataset's file format (the inverse of loading)."""
    out = pd.DataFrame(index=events.index)
    for column in COLUMNS:
        values = events[column]
        if column == "date":
            out[column] = [d.strftime("%Y-%m-%d" if p == "day" else "%Y-%m")
                           for d, p in zip(values, events["date_precision"])]
        elif column == "end_date":
            out[column] = ["" if pd.isna(d) else d.strftime("%Y-%m-%d") for d in values]
        elif column in ("score", "weight"):
            out[column] = [f"{float(v):g}" if float(v) != int(v) else str(int(v)) for v in values]
        elif column in ("in_article", "included"):
            out[column] = ["true" if v else "false" for v in values]
        else:
            out[column] = values.astype(str)
    return out.reset_index(drop=True)


def events_csv(events: pd.DataFrame) -> str:
    """The events as a CSV that loads back to exactly the same dataset."""
    return safe_csv(events_table(events))
