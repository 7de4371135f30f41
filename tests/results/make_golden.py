"""Write golden_1947_2026.csv: the index of the shipped events, computed another way.

    python tests/results/make_golden.py

An independent, deliberately plain implementation of the model-v6 formula (the Methodology page's):
a loop over months and, inside it, over events, in pure Python floats — no numpy, no cell sums, no
cumulative sums, no pause windows, none of components/engine.py. It reads the events with the csv
module and takes the parameters written below (fixed here, not read from the codebook, so that
recalibrating the defaults does not silently move the golden values). tests/test_golden.py compares
the engine with it. Every month from April 1949 to November 2026 is written, so the suspensions and the
conflict groups of the later decades are checked too.
"""

import csv
import math
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVENTS = HERE.parents[1] / "data" / "events.csv"
FIRST, LAST = (1949, 4), (2026, 11)  # months written; events from 1947 on count
PARAMS = {"p": 2.5, "k": 0.2, "d": 1.2, "h": 9.0, "W": 12.0, "b": 0.0, "mu": 2.0, "o": 1.5, "os": 0.5}
NEVER = 10**9


def month_index(year: int, month: int) -> int:
    return year * 12 + (month - 1)


def parse_month(text: str) -> int:
    return month_index(int(text[:4]), int(text[5:7]))


def main() -> None:
    with open(EVENTS, newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["date"][:4] <= str(LAST[0])]
    ends: dict[str, int] = {}
    for row in rows:
        for target in row["ends"].split():
            ends[target] = min(ends.get(target, NEVER), parse_month(row["date"]))
    p, k, d, h, width, b, mu, o, os = (PARAMS[x] for x in ("p", "k", "d", "h", "W", "b", "mu", "o", "os"))

    def stands(row: dict, t: int) -> bool:
        """A state or structural row is in force in month t (from its month, until ended or over)."""
        m = parse_month(row["date"])
        stop = ends.get(row["id"], NEVER)
        if row["persistence"] == "state" and row["end_date"]:
            stop = min(stop, max(parse_month(row["end_date"]), m))
        return m <= t < max(stop, m)

    def outranks(a: dict, b: dict) -> bool:
        """In a conflict group, a counts instead of b: larger |score|, then earlier, then earlier in the file."""
        key = lambda r: (-abs(float(r["score"])), parse_month(r["date"]), rows.index(r))  # noqa: E731
        return key(a) < key(b)

    def paused(row: dict, t: int) -> bool:
        for other in rows:
            if other is row or other["persistence"] != "state" or not stands(other, t):
                continue
            if row["id"] in other["suspends"].split():
                return True
            if row["conflict"] and other["conflict"] == row["conflict"] and outranks(other, row):
                return True
        return False

    out = []
    for t in range(month_index(*FIRST), month_index(*LAST) + 1):
        terms = []  # each event's term this month; the terms of one sign then add up as a mu-norm
        for row in rows:
            m, kind, score = parse_month(row["date"]), row["persistence"], float(row["score"])
            if t < m:
                continue
            s = math.copysign(10 * (abs(score) / 10) ** p, score)  # the intensity f(score)
            if kind == "shock":
                terms.append(s * 2 ** (-(t - m) / h))
                continue
            # A structural event's or a state's start is news too: o or os times its intensity, fading like a shock.
            terms.append((o if kind == "structural" else os) * s * 2 ** (-(t - m) / h))
            if stands(row, t) and not paused(row, t):
                terms.append((k if kind == "structural" else d) * s)
        up = sum(abs(v) ** mu for v in terms if v > 0) ** (1 / mu)
        down = sum(abs(v) ** mu for v in terms if v < 0) ** (1 / mu)
        x = b + up - down
        out.append((f"{t // 12}-{t % 12 + 1:02d}", repr(x), repr(10 * math.tanh(x / width))))
    with open(HERE / "golden_1947_2026.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["month", "raw", "index"])
        writer.writerows(out)


if __name__ == "__main__":
    main()
