/**
 * Injected into the page before its scripts: records long tasks (PerformanceObserver 'longtask') and the gaps
 * between animation frames, so a test can read the longest main-thread block during a window it chooses.
 */
export const MAIN_THREAD_PROBE = `
(() => {
  const probe = { longTasks: [], maxFrameGap: 0, measuring: false, last: 0 };
  window.__graftProbe = probe;
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (probe.measuring) probe.longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  } catch {}
  const tick = (t) => {
    if (probe.measuring && probe.last) probe.maxFrameGap = Math.max(probe.maxFrameGap, t - probe.last);
    probe.last = t;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  window.__graftProbeStart = () => { probe.longTasks = []; probe.maxFrameGap = 0; probe.last = 0; probe.measuring = true; };
  window.__graftProbeStop = () => { probe.measuring = false; return { longTasks: probe.longTasks, maxLongTask: Math.max(0, ...probe.longTasks), maxFrameGap: probe.maxFrameGap }; };
})();
`;
