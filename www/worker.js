// Module worker: runs `analyze` off the main thread. Protocol:
//   in:  { id, text, settings, only? }               (settings: JSON string; only: keys to keep)
//   out: { type: 'ready' } | { type: 'load-error', message }
//        { id, ok: true, json, ms } | { id, error } | { id, panic }
// After a panic the page terminates this worker and starts a new one.
import { loadCore, takePanic, isTrap } from './core.js';

let core = null;
const ready = loadCore(() => {}).then(
  (c) => {
    core = c;
    self.postMessage({ type: 'ready' });
  },
  (e) => self.postMessage({ type: 'load-error', message: String(e?.message ?? e) }),
);

self.onmessage = async (event) => {
  const { id, text, settings, only } = event.data;
  await ready;
  if (!core) return self.postMessage({ id, error: 'The engine could not be loaded.' });
  const t0 = performance.now();
  try {
    let json = core.analyze(text, settings);
    // A later pass may want only some parts (e.g. the model fits): cut them out here, off the
    // main thread, so the page does not parse the whole result again.
    let view;
    if (only) {
      const all = JSON.parse(json);
      json = JSON.stringify(Object.fromEntries(only.map((k) => [k, all[k]])));
    } else if (json.length > 1 << 20) {
      // The page's own copy (table, tests, explain) needs no visit series: the chart handle has
      // them. Cutting them here saves the main thread most of a large parse.
      // Per-period details likewise: the explain panel asks the handle for the selected patient.
      const all = JSON.parse(json);
      all.series = [];
      for (const p of all.patients) delete p.periods;
      view = JSON.stringify(all);
    }
    self.postMessage({ id, ok: true, json, view, ms: performance.now() - t0 });
  } catch (err) {
    const panic = takePanic();
    if (panic || isTrap(err)) self.postMessage({ id, panic: panic ?? String(err) });
    else self.postMessage({ id, error: String(err?.message ?? err) });
  }
};
