"""How to update the dashboard's main chart for a weight step, measured on the chart itself in Chromium.

    python -m benchmarks.bench_chart_update [--repeats 20]    # from the repository root

Starts ``dashboard.py``, opens it in headless Chromium and, on the chart component's plotly div
(``components/ui/assets/chart.js``), moves every moving trace (the band, the index line, the markers on it) and
the line's hover text between two states, the way a weight step does, with each of:

* ``react``: ``Plotly.react`` with the whole figure, its static arrays the same objects (what the chart does);
* ``react + subtitle``: the same with a new subtitle in the layout (what a step sends);
* ``animate + relayout``: ``Plotly.animate(gd, {data, traces}, {frame: {duration: 0, redraw: false},
  transition: {duration: 0}})``, then ``Plotly.relayout`` of the subtitle;
* ``restyle + relayout``: ``Plotly.restyle`` of y and hover text, then the same relayout;
* ``newPlot``: the whole figure drawn afresh (what a first draw costs).

Each way runs on its own, two unmeasured steps first, then the samples; each sample runs from a quiet frame to the end of the next frame after the call (so the browser's style,
layout and paint of the changed SVG count). Prints the medians; the load average is printed with them, since
the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import sys

from tests.e2e import harness

MEASURE = (
    """async (repeats) => {
  const gd = document.querySelector('%s');
  const moving = gd.data.map((t, i) => i).filter((i) => gd.data[i].y && gd.data[i].y.length > 1);
  const one = moving.map((i) => {
    const m = { y: Float64Array.from(gd.data[i].y) };
    if (gd.data[i].mode === 'lines' && gd.data[i].hovertext) m.hovertext = Array.from(gd.data[i].hovertext);
    return m;
  });
  const two = one.map((m) => {
    const o = { y: m.y.map((v) => v * 0.97) };
    if (m.hovertext) o.hovertext = m.hovertext.map((s) => s + ' ');
    return o;
  });
  const figure = (step) => {
    const data = gd.data.map((t) => ({ ...t }));
    moving.forEach((i, k) => Object.assign(data[i], step[k]));
    return data;
  };
  const subtitle = (k) => gd.layout.title.subtitle.text.replace(/ #\\d+$/, '') + ' #' + k;
  const relayout = (k) => Plotly.relayout(gd, { 'title.subtitle.text': subtitle(k) });
  const ways = {
    'react': (s) => Plotly.react(gd, figure(s), { ...gd.layout }),
    'react + subtitle': (s, k) => {
      const L = gd.layout;
      return Plotly.react(gd, figure(s), { ...L, title: { ...L.title, subtitle: { ...L.title.subtitle, text: subtitle(k) } } });
    },
    'animate + relayout': async (s, k) => {
      await Plotly.animate(gd, { data: s, traces: moving },
        { frame: { duration: 0, redraw: false }, transition: { duration: 0 }, mode: 'immediate' });
      return relayout(k);
    },
    'restyle + relayout': async (s, k) => {
      const attrs = {};
      s.forEach((m, j) => { for (const [n, v] of Object.entries(m)) { attrs[n] = attrs[n] || s.map(() => undefined); attrs[n][j] = v; } });
      await Plotly.restyle(gd, attrs, moving);
      return relayout(k);
    },
    'newPlot': (s) => Plotly.newPlot(gd, figure(s), { ...gd.layout }, gd._context),
  };
  const frame = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const out = Object.fromEntries(Object.keys(ways).map((k) => [k, []]));
  // Each way in a run of its own (two unmeasured first), so that none pays for the way before it; the ways
  // in their order, then again in the reverse order, so that none gains from its place.
  const order = Object.entries(ways);
  for (const [name, way] of order.concat([...order].reverse())) {
    for (let r = -2; r < repeats / 2; r++) {
      await frame();
      const t0 = performance.now();
      await way(r %% 2 ? one : two, r + 2);
      await frame();
      if (r >= 0) out[name].push(performance.now() - t0);
    }
  }
  return out;
}"""
    % harness.CHART
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    load = os.getloadavg()
    with harness.AppServer("dashboard.py") as server, sync_playwright() as playwright:
        browser = harness.launch_chromium(playwright)
        page = browser.new_page(viewport=harness.VIEWPORT)
        page.goto(server.url)
        harness.wait_for_app(page)
        page.wait_for_timeout(1000)
        samples = page.evaluate(MEASURE, args.repeats)
        browser.close()
    end = os.getloadavg()
    print(f"load average {load[0]:.2f} at start, {end[0]:.2f} at end; {args.repeats} samples each")
    for name, values in samples.items():
        values = sorted(values)
        print(f"{name:>20}: median {values[len(values) // 2]:6.1f} ms  (min {values[0]:.1f}, max {values[-1]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
