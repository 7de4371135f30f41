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
import sys
from pathlib import Path

import pandas as pd

from components import url_state
from components.dataset import Dataset, load_dataset
from components.events import events_csv, safe_csv
from components.text import printable
from components.view import View, compute

__all__ = ["events_csv", "export", "main", "safe_csv", "series_csv", "series_header"]


def series_header(view: View, query: str) -> list[str]:
    params = view.params
    weights = ", ".join(f"{k}={v:g}" for k, v in params.category_weights.items())
    lines = [
        f"NATO-Russia Relations Index, model version {view.model_version}",
        f"view: ?{query}" if query else "view: defaults",
        f"category weights: {weights}",
        f"scores from: {view.state.coder} coding",
        "actor weights: " + (", ".join(f"{k}={v:g}" for k, v in params.actor_weights.items()) or "all 1"),
        f"half-life (months): {params.half_life_months:g}; intensity exponent p: {params.intensity:g}; "
        f"baseline: {params.baseline:g}; state weight: {params.state_weight:g}; "
        f"structural weight: {params.structural_weight:g}; squash width: {params.squash_width:g}",
    ]
    if view.band is not None:
        low, high = view.band.percentiles
        lines.append(f"band: {low:g}th-{high:g}th percentile of {view.band.draws} draws, spread {view.band.spread:g}")
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
        print(f"warning: {printable(notice)}", file=sys.stderr)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
