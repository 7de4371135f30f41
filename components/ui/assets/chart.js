// The dashboard's main chart, a Streamlit custom component (components v2) that keeps one plotly div across
// reruns and updates it in place (components/ui/chart.py mounts it; components/chart_parts.py splits the figure).
//
// Each run sends the step's part of the figure (the moving traces' y and the line's hover text, the subtitle,
// the selected event's label) and a version of the static part; the static part itself (every trace's look,
// the markers' dates and hover text, the eras, the level bands, the layout in the page's look) only when the
// version is new to this page. A first draw (or a new static part, or new toolbar options) draws the whole
// figure; a step updates the plot in place (see below: Plotly.react, and what it was measured against).
//
// plotly.js is the basic bundle (scatter, bar, pie) of plotly.js 4.1.1, the version plotly.py 7.1 bundles,
// served by the app itself (static/, Streamlit's static file serving): no CDN. Loaded once per page.

const PLOTLY_FILE = "app/static/plotly-basic-4.1.1.min.js";
// A weight step updates the plot in place: Plotly.animate of the moving traces without a redraw (no transition),
// then a relayout of the subtitle and the selected label when they changed. Measured in Chromium on this chart
// (plotly.js 4.1.1, a weight step, to the end of the next frame; medians of 30, benchmarks/bench_chart_update.py),
// at load average ~1.5 and ~0.2: animate + relayout 56 and 53 ms, restyle + relayout 67 and 59 ms, Plotly.react
// with the whole figure 80-85 and 80 ms, a fresh newPlot 75 and 52 ms. So animate is the fastest way in place,
// and about what a fresh plot of this chart costs (react, which the chart's arrays all make recompute, costs
// more). It draws the paths, labels and hover text a fresh plot draws (tests/e2e/test_chart_component.py), keeps
// the reader's zoom and the div's listeners. A first draw, a new static part or new toolbar options: newPlot or
// react.
const REACH_PX = { touch: 24, mouse: 10 };

let plotlyLoading = null;
const statics = new Map(); // version -> {data, layout}, parsed once a page

function plotlyUrl() {
  // Streamlit's own script is under the app's base path (a proxy may put the app under one, as Community
  // Cloud does): the static files are beside it.
  const own = document.querySelector('script[src*="static/js/index"]');
  const base = own ? own.src.slice(0, own.src.lastIndexOf("static/js/")) : window.location.origin + "/";
  return base + PLOTLY_FILE;
}

function loadPlotly() {
  if (!plotlyLoading) {
    plotlyLoading = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = plotlyUrl();
      script.async = true;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => {
        plotlyLoading = null;
        reject(new Error("plotly.js did not load from " + script.src));
      };
      document.head.appendChild(script);
    });
  }
  return plotlyLoading;
}

const TYPES = {
  f8: Float64Array,
  f4: Float32Array,
  i4: Int32Array,
  i2: Int16Array,
  i1: Int8Array,
  u4: Uint32Array,
  u2: Uint16Array,
  u1: Uint8Array,
};

// plotly.py's typed-array spec ({dtype, bdata}: base64) as a typed array, everywhere in a value.
function decode(value) {
  if (Array.isArray(value)) return value.map(decode);
  if (value && typeof value === "object") {
    if (typeof value.bdata === "string" && TYPES[value.dtype]) {
      const bin = atob(value.bdata);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      return new TYPES[value.dtype](bytes.buffer);
    }
    const out = {};
    for (const key of Object.keys(value)) out[key] = decode(value[key]);
    return out;
  }
  return value;
}

// "%+.Nf" as Python writes it (components/view.py, LineHover.text): the sign always, "-0.0" for a negative
// value that rounds to zero. toFixed rounds the exact binary value as Python does; they differ only on exact
// binary ties (x.25 to one place), which computed values do not meet.
function signed(value, places) {
  if (Number.isNaN(value)) return "+nan";
  return (value < 0 || Object.is(value, -0) ? "-" : "+") + Math.abs(value).toFixed(places);
}

// The line's hover text, written here from its parts (components/view.py, LineHover.text, whose text it is:
// tests/e2e/test_chart_component.py compares them): the static part's month names, levels, titles and where
// the data end; the step's values (the line's and the band's y) and each month's heaviest event and term.
function lineHover(hover, step) {
  const y = (trace) => (trace === null ? null : step.data[step.traces.indexOf(trace)].y);
  const values = y(hover.line);
  const low = y(hover.low);
  const high = y(hover.high);
  const { rows, terms } = step.hover;
  const out = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    let level = 0;
    while (level < hover.edges.length && hover.edges[level] <= value) level++;
    let text = `${hover.labels[i]}: index ${signed(value, 1)} (${hover.names[level]})`;
    if (low && high) text += `<br>Range of the draws: ${signed(low[i], 1)} to ${signed(high[i], 1)}`;
    if (rows[i] >= 0) text += `<br>Weighs most: ${hover.titles[rows[i]]} (${signed(terms[i], 2)} raw)`;
    if (hover.position !== null && i > hover.position) text += hover.carried;
    out[i] = text;
  }
  return out;
}

// The step's part with the line's hover text in it, when the page writes it (the static part says how).
function withHover(fixed, step) {
  if (!fixed.hover || !step.hover) return step;
  const k = step.traces.indexOf(fixed.hover.line);
  const data = step.data.slice();
  data[k] = { ...data[k], hovertext: lineHover(fixed.hover, step) };
  return { ...step, data };
}

// The whole figure: the static part with the step's part put back (components.chart_parts.join_figure).
function figureOf(fixed, step) {
  const data = fixed.data.map((trace) => ({ ...trace }));
  step.traces.forEach((i, k) => Object.assign(data[i], step.data[k]));
  const title = fixed.layout.title;
  const layout = {
    ...fixed.layout,
    title: { ...title, subtitle: { ...title.subtitle, text: step.subtitle } },
    annotations: fixed.layout.annotations.concat(step.selected),
  };
  return { data, layout };
}

// The marker whose centre is nearest the pointer, within reach (a fingertip, a mouse).
function nearest(gd, x, y, reach) {
  const xa = gd._fullLayout.xaxis;
  const ya = gd._fullLayout.yaxis;
  let best = null;
  gd._fullData.forEach((trace, curveNumber) => {
    if (trace.visible !== true || !trace.customdata || !trace.x) return;
    for (let pointNumber = 0; pointNumber < trace.x.length; pointNumber++) {
      const d = Math.hypot(xa.l2p(xa.d2l(trace.x[pointNumber])) - x, ya.l2p(ya.d2l(trace.y[pointNumber])) - y);
      if (d <= reach && (best === null || d < best.d)) best = { curveNumber, pointNumber, d };
    }
  });
  return best;
}

// Listeners, once a div: a click selects the event of the marker clicked; a press hovers the nearest marker
// first, so that the click selects it; a pointer within reach of a marker hovers it, not the line.
//
// plotly.js selects a clicked point from the last hover, and its hover counts every marker whose radius holds
// the pointer as equally near. So a finger, which does not hover before it taps, selected nothing or the
// marker tapped before; and in a cluster (three ★ within a few pixels in October 2021) a click could open a
// neighbour. The line is hoverable along its months (a point every half pixel at the full range), and
// plotly's "closest" would give it the hover over a marker's centre. The listeners are on the div in the
// capture phase, so they run before plotly's own on its drag layer; a drag (a button held) is left alone.
function listen(root, gd, Plotly) {
  gd.on("plotly_click", (event) => {
    const point = (event.points || []).find((p) => p.customdata !== undefined && p.customdata !== null);
    if (point) root.__nri.setTriggerValue("select", String(point.customdata));
  });
  const dragBox = () => gd._fullLayout && gd.querySelector(".nsewdrag");
  const press = (kind) => (event) => {
    const point = kind === "touch" ? event.touches.length === 1 && event.touches[0] : event;
    const drag = point && dragBox();
    if (!drag) return;
    const box = drag.getBoundingClientRect();
    const hit = nearest(gd, point.clientX - box.left, point.clientY - box.top, REACH_PX[kind]);
    if (hit) Plotly.Fx.hover(gd, [{ curveNumber: hit.curveNumber, pointNumber: hit.pointNumber }]);
  };
  gd.addEventListener("touchstart", press("touch"), { capture: true, passive: true });
  gd.addEventListener("mousedown", press("mouse"), { capture: true, passive: true });
  let settle = null;
  gd.addEventListener(
    "mousemove",
    (event) => {
      const drag = event.buttons === 0 && dragBox();
      if (!drag) return;
      const box = drag.getBoundingClientRect();
      const hit = nearest(gd, event.clientX - box.left, event.clientY - box.top, REACH_PX.mouse);
      clearTimeout(settle);
      if (!hit) return;
      event.stopPropagation();
      const point = [{ curveNumber: hit.curveNumber, pointNumber: hit.pointNumber }];
      Plotly.Fx.hover(gd, point);
      // plotly throttles its hover to one each 50 ms and runs the last one it was given when the time is up: a
      // move just before this one (over the line) would then take the hover back. Hover again after.
      settle = setTimeout(() => Plotly.Fx.hover(gd, point), 80);
    },
    { capture: true },
  );
  // The frame's size comes from the page's CSS (page.css): plotly follows it.
  let sized = null;
  new ResizeObserver(() => {
    cancelAnimationFrame(sized);
    // Not when the plot has left the page or is hidden (another page of the app): plotly refuses, with an
    // uncaught rejection.
    sized = requestAnimationFrame(() => {
      if (gd._fullLayout && gd.isConnected && gd.offsetParent !== null) Plotly.Plots.resize(gd).catch(() => {});
    });
  }).observe(gd);
}

// A step, in place: the moving traces' data (y, the line's hover text), then the subtitle and the label.
async function update(Plotly, gd, step, previous) {
  await Plotly.animate(
    gd,
    { data: step.data, traces: step.traces },
    { frame: { duration: 0, redraw: false }, transition: { duration: 0 }, mode: "immediate" },
  );
  const relayout = {};
  if (step.subtitle !== previous.subtitle) relayout["title.subtitle.text"] = step.subtitle;
  if (JSON.stringify(step.selected) !== JSON.stringify(previous.selected)) {
    relayout.annotations = gd.__nriFixed.layout.annotations.concat(step.selected);
  }
  if (Object.keys(relayout).length) await Plotly.relayout(gd, relayout);
}

// The toolbar's full-screen button (st.plotly_chart had one): the chart's frame fills the screen, on the page's
// background; Escape or the button again brings it back. A figure of fixed height (a phone's 520 px) takes the
// screen's height while full screen.
const FULLSCREEN_ICON = {
  width: 24,
  height: 24,
  path: "M3 3h7v2H5v5H3zM14 3h7v7h-2V5h-5zM3 14h2v5h5v2H3zM19 14h2v7h-7v-2h5z",
};

function fullscreenButton(root) {
  return {
    name: "fullscreen",
    title: "Full screen (Esc to leave)",
    icon: FULLSCREEN_ICON,
    click: () => {
      if (document.fullscreenElement === root) document.exitFullscreen();
      else if (root.requestFullscreen) root.requestFullscreen().catch((error) => console.error("nri chart:", error));
    },
  };
}

function followFullscreen(root, gd, Plotly) {
  let fixedHeight = null;
  document.addEventListener("fullscreenchange", () => {
    const full = document.fullscreenElement === root;
    const app = document.querySelector(".stApp") || document.body;
    root.style.background = full ? getComputedStyle(app).backgroundColor : "";
    if (full && gd.layout.height) {
      fixedHeight = gd.layout.height;
      Plotly.relayout(gd, { height: window.innerHeight });
    } else if (!full && fixedHeight !== null) {
      Plotly.relayout(gd, { height: fixedHeight });
      fixedHeight = null;
    }
  });
}

async function draw(root, payload) {
  const Plotly = await loadPlotly();
  const gd = root.__nri.gd;
  if (payload.static) statics.set(payload.version, decode(JSON.parse(payload.static)));
  const fixed = statics.get(payload.version);
  if (!fixed) {
    // This page has not seen this static part (a remount after the app sent it): ask for it again.
    root.__nri.setTriggerValue("missing", payload.version);
    return;
  }
  const step = withHover(fixed, decode(JSON.parse(payload.step)));
  const config = JSON.parse(payload.config);
  const state = root.__nri;
  const started = performance.now();
  gd.__nriLastDraw = { done: false, started };
  // The image button's options (its file name says the weights; its format is the page's choice) are read by
  // plotly when the button is pressed: a change to them alone needs no new draw.
  const { toImageButtonOptions, ...rest } = config;
  const others = JSON.stringify(rest);
  const inPlace = state.drawn && state.version === payload.version && state.others === others;
  if (document.fullscreenEnabled) config.modeBarButtonsToAdd = [fullscreenButton(root)];
  if (inPlace) gd._context.toImageButtonOptions = toImageButtonOptions;
  if (inPlace) {
    await update(Plotly, gd, step, state.step);
  } else {
    const { data, layout } = figureOf(fixed, step);
    gd.__nriFixed = fixed;
    if (!state.drawn) {
      await Plotly.newPlot(gd, data, layout, config);
      listen(root, gd, Plotly);
      followFullscreen(root, gd, Plotly);
      state.drawn = true;
    } else {
      await Plotly.react(gd, data, layout, config);
    }
  }
  state.version = payload.version;
  state.others = others;
  state.step = step;
  // What the last draw cost and how it was done (read by the browser tests and the measurement).
  const ended = performance.now();
  gd.__nriLastDraw = { inPlace, ms: ended - started, started, done: true };
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let root = parentElement.querySelector(":scope > .nri-chart");
  if (!root) {
    root = document.createElement("div");
    root.className = "nri-chart";
    root.setAttribute("role", "figure");
    const gd = document.createElement("div");
    gd.className = "nri-chart-plot";
    root.appendChild(gd);
    parentElement.appendChild(root);
    root.__nri = { gd, queue: Promise.resolve(), drawn: false };
  }
  root.__nri.setTriggerValue = setTriggerValue;
  if (!data) return undefined;
  root.setAttribute("aria-label", data.alt || "");
  // One draw at a time, in the order the runs sent them.
  root.__nri.queue = root.__nri.queue
    .then(() => draw(root, data))
    .catch((error) => console.error("nri chart:", error));
  return undefined;
}
