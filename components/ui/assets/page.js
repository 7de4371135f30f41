// The app's one script, installed on every page by dashboard.py. Fixed code: it reads nothing from
// a user or a link into the page.
//
// 1. A link with more parameters than Streamlit reads.
//
// Streamlit drops a query string of more than 1000 parameters (or 512 KiB) whole, before the app
// sees it, so the app would show the defaults and say nothing. The browser still has the link: if
// it is such a one, reload the app with only its count (too_many=N), which the app's link parser
// turns into the same notice the command line gives (components.url_state).
(() => {
  const query = window.location.search.slice(1);
  if (!query || query.startsWith("too_many=")) return;
  const fields = query.split("&").length; // as Streamlit counts them
  if (fields > 1000 || query.length > 512 * 1024) {
    window.location.replace(window.location.pathname + "?too_many=" + fields);
  }
})();

// 2. A tap or a click on the chart selects the marker nearest the pointer.
//
// plotly.js selects a clicked point from the last hover (dragbox: selectOnClick runs before
// Fx.click computes a new hover), and its hover counts every marker whose radius holds the
// pointer as equally near. So a finger, which does not hover before it taps, selected nothing or
// the marker tapped before; and in a cluster (three ★ within a few pixels in October 2021) a
// click could open a neighbour. When a press starts on the main chart, this hovers the marker
// whose centre is nearest the pointer (within reach of a fingertip or a mouse), so the click that
// follows selects it. (plotly runs a hover at most every 50 ms: a press that starts within 50 ms of
// the last mouse move waits behind the move's hover and may select that marker or none; a pointer
// that comes to rest first, as a person's does, gets the nearest.) Installed once per page.
//
// The dashboard's chart component (assets/chart.js) does this on its own plot; this serves the chart when
// it is drawn by st.plotly_chart (components/ui/pages/dashboard.py, IN_PLACE_CHART = False).
(() => {
  if (window.__nriNearestHover) return;
  window.__nriNearestHover = true;
  const REACH_PX = { touch: 24, mouse: 10 };

  const nearest = (chart, x, y, reach) => {
    const xa = chart._fullLayout.xaxis;
    const ya = chart._fullLayout.yaxis;
    let best = null;
    chart._fullData.forEach((trace, curveNumber) => {
      if (trace.visible !== true || !trace.customdata || !trace.x) return;
      for (let pointNumber = 0; pointNumber < trace.x.length; pointNumber++) {
        const d = Math.hypot(
          xa.l2p(xa.d2l(trace.x[pointNumber])) - x,
          ya.l2p(ya.d2l(trace.y[pointNumber])) - y,
        );
        if (d <= reach && (best === null || d < best.d)) best = { curveNumber, pointNumber, d };
      }
    });
    return best;
  };

  const press = (kind) => (event) => {
    const point = kind === "touch" ? event.touches.length === 1 && event.touches[0] : event;
    if (!point || !window.Plotly) return;
    const chart = event.target.closest && event.target.closest(".st-key-chart .stPlotlyChart .js-plotly-plot");
    const drag = chart && chart._fullLayout && chart.querySelector(".nsewdrag");
    if (!drag) return;
    const box = drag.getBoundingClientRect();
    const hit = nearest(chart, point.clientX - box.left, point.clientY - box.top, REACH_PX[kind]);
    if (hit) window.Plotly.Fx.hover(chart, [{ curveNumber: hit.curveNumber, pointNumber: hit.pointNumber }]);
  };
  document.addEventListener("touchstart", press("touch"), { capture: true, passive: true });
  document.addEventListener("mousedown", press("mouse"), { capture: true, passive: true });

  let settle = null;
  // A pointer that moves within reach of a marker hovers that marker, not the index line: the line is
  // hoverable along its months (a point every half pixel at the full range), and plotly's "closest"
  // would give it the hover over a marker's centre. Plotly's own hover does not see this move; a drag
  // (a button held) is left alone, so panning works as before.
  document.addEventListener(
    "mousemove",
    (event) => {
      if (event.buttons !== 0 || !window.Plotly) return;
      const chart = event.target.closest && event.target.closest(".st-key-chart .stPlotlyChart .js-plotly-plot");
      const drag = chart && chart._fullLayout && chart.querySelector(".nsewdrag");
      if (!drag) return;
      const box = drag.getBoundingClientRect();
      const hit = nearest(chart, event.clientX - box.left, event.clientY - box.top, REACH_PX.mouse);
      clearTimeout(settle);
      if (!hit) return;
      event.stopPropagation();
      const point = [{ curveNumber: hit.curveNumber, pointNumber: hit.pointNumber }];
      window.Plotly.Fx.hover(chart, point);
      // plotly throttles its hover to one each 50 ms and runs the last one it was given when the time is
      // up: a move just before this one (over the line) would then take the hover back. Hover again after.
      settle = setTimeout(() => window.Plotly.Fx.hover(chart, point), 80);
    },
    { capture: true },
  );
})();

// 3. The new value, announced.
//
// After a control changes, a screen reader hears the headline's new value: a polite live region,
// visually hidden, takes the headline metric's text (the app's own text) whenever it changes.
(() => {
  if (window.__nriAnnounce) return;
  window.__nriAnnounce = true;
  const region = document.createElement("div");
  region.id = "nri-announce";
  region.setAttribute("role", "status");
  region.setAttribute("aria-live", "polite");
  region.style.cssText = "position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap";
  document.body.appendChild(region);
  let said = null;
  let queued = false;
  const announce = () => {
    queued = false;
    const metric = document.querySelector(".st-key-headline [data-testid='stMetric']");
    if (!metric) return;
    const label = metric.querySelector("[data-testid='stMetricLabel']");
    const value = metric.querySelector("[data-testid='stMetricValue']");
    const delta = metric.querySelector("[data-testid='stMetricDelta']");
    const text = [label, value, delta].filter(Boolean).map((e) => e.textContent.trim()).join(": ");
    if (text && text !== said) {
      if (said !== null) region.textContent = text; // not on the first load: only what changes
      said = text;
    }
  };
  new MutationObserver(() => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(announce);
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
})();

// 4. On a phone, the story comes to the finger.
//
// A tap on the chart opens an event's story, which on a phone is far under the chart (the controls
// and the headline come first). When a tap on the chart is followed by a new story, scroll the story
// into view; its "Back to the chart" link scrolls back. Only after a tap, never on load: a shared
// link that selects an event still opens on the chart.
(() => {
  if (window.__nriStory) return;
  window.__nriStory = true;
  const PHONE_PX = 640;
  let tappedAt = 0;
  let shown = null;
  document.addEventListener(
    "touchstart",
    (event) => {
      if (event.target.closest && event.target.closest(".st-key-chart")) tappedAt = Date.now();
    },
    { capture: true, passive: true },
  );
  document.addEventListener(
    "click",
    (event) => {
      const link = event.target.closest && event.target.closest('a[href="#nri-chart"]');
      if (!link) return;
      event.preventDefault();
      event.stopPropagation();
      const chart = document.querySelector(".st-key-chart");
      if (chart) chart.scrollIntoView({ block: "start" });
    },
    { capture: true },
  );
  let queued = false;
  const follow = () => {
    queued = false;
    const story = document.querySelector(".st-key-event_details");
    const title = story ? story.textContent.slice(0, 200) : null;
    if (title === shown) return;
    shown = title;
    if (story && window.innerWidth < PHONE_PX && Date.now() - tappedAt < 15000) {
      tappedAt = 0;
      story.scrollIntoView({ block: "start" });
    }
  };
  new MutationObserver(() => {
    if (!queued) {
      queued = true;
      requestAnimationFrame(follow);
    }
  }).observe(document.body, { subtree: true, childList: true, characterData: true });
})();
