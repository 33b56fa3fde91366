// Module worker: runs `analyze` off the main thread. Protocol:
//   in:  { type: 'init', module }                    (first: the page's compiled core module)
//        { type: 'warm' }                            (the page is idle: see warmUp)
//        { id, text, settings, models? }             (settings: JSON string; models: the model
//                                                     fits, by the extras module)
//   out: { type: 'ready' } | { type: 'load-error', message }
//        { id, ok: true, json, bytes, ms } | { id, error } | { id, panic }
//        (json, bytes: see analyze_for_page, or with `models` analyze_models, in src/web.rs)
// After a panic the page terminates this worker and starts a new one.
import { loadCore, loadExtras, takePanic, isTrap } from './core.js';

let core = null;
let ready = null;

// The first message hands over the page's compiled core module (see Engine.startWorker).
function init(module) {
  ready = loadCore(() => {}, module).then(
    (c) => {
      core = c;
      self.postMessage({ type: 'ready' });
    },
    (e) => self.postMessage({ type: 'load-error', message: String(e?.message ?? e) }),
  );
}

// The browser compiles wasm in two tiers: code starts out in a quick baseline compile and is
// optimised once it has run a while. A fresh instance's first large analysis (10,000 patients)
// took ~300 ms where the next took ~130. So, when the page is drawn and idle (it sends 'warm'),
// unless a request came first: the examples once (a few ms), then a synthetic cohort of 2,000
// patients (wasm export warm_up: ~100-250 ms, off the main thread). The first large analysis in
// the page's worker then took 177-274 ms instead of 314-375.
// The page's first pass (models and D50 come later).
const WARM_SETTINGS = JSON.stringify({ include_series: true, first_measure_only: true, mixed_models: false, d50: false });

function warmUp() {
  try {
    for (const { name } of JSON.parse(core.examples())) core.analyze_for_page(core.example_text(name), WARM_SETTINGS).free();
    core.warm_up(2000);
  } catch {
    // only a warm-up: a real request reports its own errors
  }
}

// A request has come: the warm-up is skipped (it would only delay the next).
let asked = false;

self.onmessage = async (event) => {
  if (event.data.type === 'init') return init(event.data.module);
  if (event.data.type === 'warm') {
    await ready;
    if (core && !asked) warmUp();
    return;
  }
  const { id, text, settings, models } = event.data;
  asked = true;
  await ready;
  if (!core) return self.postMessage({ id, error: 'The engine could not be loaded.' });
  const t0 = performance.now();
  try {
    // The page's own copy as JSON (large results without visit series and per-period details),
    // and the whole result in binary for the chart handle (see analyze_for_page in src/web.rs);
    // or the model fits alone, both ways (by the extras module, loaded the first time).
    const out = models ? (await loadExtras()).analyze_models(text, settings) : core.analyze_for_page(text, settings);
    const json = out.view();
    const bytes = out.bytes();
    out.free();
    self.postMessage({ id, ok: true, json, bytes, ms: performance.now() - t0 }, [bytes.buffer]);
  } catch (err) {
    const panic = takePanic();
    if (panic || isTrap(err)) self.postMessage({ id, panic: panic ?? String(err) });
    else self.postMessage({ id, error: String(err?.message ?? err) });
  }
};
