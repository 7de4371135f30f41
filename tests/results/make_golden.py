"""Write golden_1947_1965.csv: the index for a slice of the shipped events, computed another way.

    python tests/results/make_golden.py

An independent, deliberately plain implementation of the model-v3 formula (the Methodology page's):
a loop over months and, inside it, over events, in pure Python floats — no numpy, no cell sums, no
blocked cumulative sums, none of components/engine.py. It reads the events with the csv module and
takes the parameters written below (fixed here, not read from the codebook, so that recalibrating the
defaults does not silently move the golden values). tests/test_golden.py compares the engine with it.
"""

import csv
import math
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVENTS = HERE.parents[1] / "data" / "events.csv"
FIRST, LAST = (1949, 4), (1965, 12)  # months written; events from 1947 on count
PARAMS = {"p": 2.5, "k": 0.2, "d": 1.2, "h": 9.0, "W": 12.0, "b": 0.0}


def month_index(year: int, month: int) -> int:
    return year * 12 + (month - 1)


def parse_month(text: str) -> int:
    year, month = int(text[:4]), int(text[5:7])
    return month_index(year, month)


def main() -> None:
    with open(EVENTS, newline="", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["date"][:4] <= str(LAST[0])]
    ends: dict[str, int] = {}
    for row in rows:
        for target in row["ends"].split():
            ends[target] = min(ends.get(target, 10**9), parse_month(row["date"]))
    p, k, d, h, width, b = (PARAMS[x] for x in ("p", "k", "d", "h", "W", "b"))
    out = []
    for t in range(month_index(*FIRST), month_index(*LAST) + 1):
        x = b
        for row in rows:
            m, kind = parse_month(row["date"]), row["persistence"]
            score = float(row["score"])
            s = math.copysign(10 * (abs(score) / 10) ** p, score)  # the intensity f(score)
            if t < m:
                continue
            stop = ends.get(row["id"], 10**9)
            if kind == "shock":
                x += s * 2 ** (-(t - m) / h)
            elif kind == "structural":
                x += k * s if t < stop else 0.0
            elif kind == "state" and t < stop:
                end = parse_month(row["end_date"]) if row["end_date"] else 10**9
                end = max(end, m)
                x += d * s * (1.0 if t < end else 2 ** (-(t - end) / h))
        out.append((f"{t // 12}-{t % 12 + 1:02d}", repr(x), repr(10 * math.tanh(x / width))))
    with open(HERE / "golden_1947_1965.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["month", "raw", "index"])
        writer.writerows(out)


if __name__ == "__main__":
    main()
