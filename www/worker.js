// Module worker: runs `analyze` off the main thread. Protocol:
//   in:  { id, text, settings }                      (settings: JSON string)
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
  const { id, text, settings } = event.data;
  await ready;
  if (!core) return self.postMessage({ id, error: 'The engine could not be loaded.' });
  const t0 = performance.now();
  try {
    const json = core.analyze(text, settings);
    self.postMessage({ id, ok: true, json, ms: performance.now() - t0 });
  } catch (err) {
    const panic = takePanic();
    if (panic || isTrap(err)) self.postMessage({ id, panic: panic ?? String(err) });
    else self.postMessage({ id, error: String(err?.message ?? err) });
  }
};
