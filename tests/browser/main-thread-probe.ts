/**
 * Injected into the page before its scripts: records which workers the page starts and the messages the main thread
 * receives from them (the structure a test asserts: training runs in a worker, the page gets its progress), and long
 * tasks (PerformanceObserver 'longtask'), which are wall-clock and so only reported, never asserted. (No requestAnimationFrame loop: one would make the page
 * render every frame, and under CPU contention those frames themselves show up as long tasks.)
 */
export const MAIN_THREAD_PROBE = `
(() => {
  const probe = { longTasks: [], messages: [], workers: [], measuring: false, t0: 0 };
  window.__graftProbe = probe;
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url, options) {
      super(url, options);
      const name = (options && options.name) || String(url);
      probe.workers.push(name);
      this.addEventListener('message', (e) => {
        if (probe.measuring) probe.messages.push({ worker: name, type: e.data && e.data.type });
      });
    }
  };
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (probe.measuring) probe.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: false });
  } catch {}
  window.__graftProbeStart = () => { probe.longTasks = []; probe.messages = []; probe.t0 = performance.now(); probe.measuring = true; };
  // long tasks before the app's 'graft:trained' mark happened while the worker trained; later ones are the page
  // loading the trained weights
  window.__graftProbeStop = () => {
    probe.measuring = false;
    const marks = performance.getEntriesByName('graft:trained');
    const end = marks.length ? marks[marks.length - 1].startTime : Infinity;
    const during = probe.longTasks.filter((t) => t.start < end).map((t) => t.duration);
    const after = probe.longTasks.filter((t) => t.start >= end).map((t) => t.duration);
    const at = (t) => Math.round(t - probe.t0);
    const received = {};
    for (const m of probe.messages) received[m.worker + ':' + m.type] = (received[m.worker + ':' + m.type] || 0) + 1;
    return {
      workers: [...probe.workers],
      received,
      longTasks: during.length,
      maxLongTask: Math.max(0, ...during),
      // total blocking time: the part of each long task beyond 50 ms
      blockingMs: during.reduce((a, d) => a + Math.max(0, d - 50), 0),
      maxLongTaskAfter: Math.max(0, ...after),
      timeline: { trainedAt: at(end), tasks: probe.longTasks.map((t) => [at(t.start), Math.round(t.duration)]) },
    };
  };
})();
`;
