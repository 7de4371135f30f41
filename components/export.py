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
from components.view import Movement, View, compute, what_moved

__all__ = ["events_csv", "export", "main", "safe_csv", "series_csv", "series_header"]


def series_header(
    view: View, query: str, data_version: str = "", sources: str = "shipped", years: tuple[int, int] | None = None
) -> list[str]:
    """The comment lines above the series: what made these numbers, so the file keeps its context.

    ``sources``: the data in use ("shipped", or what an upload or in-app edits changed); ``years``: the years
    the file holds (None: all).
    """
    params = view.params
    weights = ", ".join(f"{k}={v:g}" for k, v in params.category_weights.items())
    rescored = len(view.state.overrides)
    lines = [
        f"NATO-Russia Relations Index, model version {view.model_version}"
        + (f", data version {data_version}" if data_version else ""),
        f"data in use: {sources}" + (f"; {rescored} event(s) rescored in the view" if rescored else ""),
        f"view: ?{query}" if query else "view: defaults",
        "months: " + ("all" if years is None else f"{years[0]}-{years[1]} (the years shown)"),
        "carried: true for months after the last coded information; they hold its value and are not news",
        f"category weights: {weights}",
        f"scores from: {view.state.coder} coding",
        "actor weights: " + (", ".join(f"{k}={v:g}" for k, v in params.actor_weights.items()) or "all 1"),
        f"half-life (months): {params.half_life_months:g}; intensity exponent p: {params.intensity:g}; "
        f"baseline: {params.baseline:g}; state weight: {params.state_weight:g}; "
        f"structural weight: {params.structural_weight:g}; state half-life (months): "
        f"{params.state_half_life_months:g}; norm: {params.norm:g}; news weight of a structural event's start: "
        f"{params.onset_weight:g}; of a state's start: {params.state_onset_weight:g}; squash width: "
        f"{params.squash_width:g}",
    ]
    if view.band is not None:
        low, high = view.band.percentiles
        lines.append(f"band: {low:g}th-{high:g}th percentile of {view.band.draws} draws, spread {view.band.spread:g}")
    return lines


def series_csv(
    view: View, query: str, data_version: str = "", sources: str = "shipped", years: tuple[int, int] | None = None
) -> str:
    """The series as the dashboard's download and this command write it."""
    return safe_csv(view.frame(years), series_header(view, query, data_version, sources, years))


def export(
    query: str = "", dataset: Dataset | None = None, all_years: bool = False
) -> tuple[str, list[url_state.Notice]]:
    """The series of a view given by a link's query: the years the link shows, or every month."""
    dataset = dataset or load_dataset()
    state, notices = url_state.decode(query, dataset.codebook, today_year=pd.Timestamp.today().year)
    view = compute(dataset, state)
    years = None if all_years else shown_years(view)
    text = series_csv(view, url_state.encode(state, dataset.codebook), dataset.codebook.data_version, years=years)
    return text, notices


def explain(query: str, start: str, end: str, dataset: Dataset | None = None) -> tuple[str, list[url_state.Notice]]:
    """What moved the index between two months (``view.what_moved``) as CSV: the events' changes, largest first,
    under comment lines with both values and the squash's share. The months are YYYY-MM."""
    import re

    for month in (start, end):
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
            raise ValueError(f"--explain takes two months written YYYY-MM; {month!r} is not one")
    dataset = dataset or load_dataset()
    state, notices = url_state.decode(query, dataset.codebook, today_year=pd.Timestamp.today().year)
    view = compute(dataset, state)
    moved = what_moved(view, dataset.codebook, pd.Timestamp(start + "-01"), pd.Timestamp(end + "-01"))
    header = series_header(view, url_state.encode(state, dataset.codebook), dataset.codebook.data_version)[:3]
    return movement_csv(moved, header), notices


def movement_csv(moved: Movement, header: list[str] | None = None) -> str:
    """What moved the index (``view.what_moved``) as CSV: the events' changes in raw units, largest first, under
    comment lines with both values, the raw change and the squash's share (the dashboard's download and
    ``--explain`` write the same lines)."""
    totals = (
        f"index {moved.start:%Y-%m} {moved.index_start:+.4f} -> {moved.end:%Y-%m} {moved.index_end:+.4f}; "
        f"change {moved.change:+.4f} = events {moved.raw_end - moved.raw_start:+.4f} (raw) "
        f"+ squash {moved.squash_share:+.4f}"
    )
    table = moved.events.assign(date=moved.events["date"].dt.strftime("%Y-%m-%d"))
    return safe_csv(table, [*(header or []), totals])


def shown_years(view: View) -> tuple[int, int]:
    """The years a view shows (to this year when its link leaves the end open)."""
    return view.state.year_from, view.state.year_to or int(view.series.months[-1].year)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m components.export", description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True, help="where to write the CSV ('-' for standard output)")
    parser.add_argument("--query", default="", help="a dashboard link or its query string")
    parser.add_argument("--all-years", action="store_true", help="every month, not only the years the view shows")
    parser.add_argument(
        "--explain", nargs=2, metavar=("FROM", "TO"), help="instead: what moved the index between two months (YYYY-MM)"
    )
    args = parser.parse_args(argv)
    if args.explain:
        try:
            text, notices = explain(args.query, *args.explain)
        except ValueError as err:
            parser.error(str(err))
    else:
        text, notices = export(args.query, all_years=args.all_years)
    for notice in notices:
        print(f"warning: {printable(notice)}", file=sys.stderr)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
