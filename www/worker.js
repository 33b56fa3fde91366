// Module worker: runs the analysis off the main thread, and the model fits. Protocol:
//   in:  { type: 'init', module }        (first: the page's compiled core module)
//        { type: 'warm', texts }         (the page is idle: see warmUp; texts: the examples')
//        { id, text, settings }          (an analysis; settings: JSON string. The worker keeps
//                                         the parsed data, in place of the previous analysis')
//        { id, fit }                     (the model fits, by the extras module, of the parsed data
//                                         this worker keeps of analysis `fit` (its id), or of
//                                         `fit`: the bytes of parsed data (ParsedData.to_bytes)
//                                         that the main thread keeps)
//        { id, tables }                  (the CSV exports, by the extras module, of the parsed
//                                         data named as for `fit`: export_tables in src/web.rs)
//        { id, second }                  (the second pass, by the extras module, of the parsed
//                                         data named as for `fit`: second_pass in src/web.rs)
//   out: { type: 'ready' } | { type: 'load-error', message }
//        { id, ok: true, json, bytes, texts, ms } | { id, ok: true, tables: { patients, summaries, stages } }
//        | { id, error } | { id, panic }
//        (json, bytes, texts: see analyze_for_page, fit_models or second_pass in src/web.rs)
// After a panic the page terminates this worker and starts a new one.
import { loadCore, loadExtras, takePanic, isTrap } from './core.js';

let core = null;
let ready = null;
// The engine of the analyses: the core (the start module: opt-level "z", for the page's weight)
// until the extras module (opt-level 2: 2–4× faster; its first pass has the survival outcomes and
// stages too, so the page needs no second pass) is loaded and warmed up, once the page is idle.
let fast = null;
// { id, parsed }: the parsed data (a ParsedData of the core) of the last analysis, for its fits.
let held = null;

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
// the extras module is loaded (it analyses from then on, see `fast`) and, unless a request came
// first, warmed up: the examples once (a few ms), then the lead-in example's 12 patients 160 times
// over (wasm export warm_up: as much analysis as a ~2,000-patient cohort, off the main thread).
// With a 2,000-patient cohort, the first large analysis in the page's worker took 177-274 ms
// instead of 314-375.
// The page's first pass (models and D50 come later).
const WARM_SETTINGS = JSON.stringify({ include_series: true, first_measure_only: true, mixed_models: false, d50: false });

async function warmUp(texts) {
  let extras;
  try {
    extras = await loadExtras();
  } catch {
    return; // the core analyses
  }
  try {
    if (!asked) {
      for (const text of Object.values(texts)) extras.analyze_for_page(text, WARM_SETTINGS).free();
      extras.warm_up(texts['lead-in'], 160);
    }
  } catch {
    // only a warm-up: a real request reports its own errors
  }
  fast = extras;
}

// A request has come: the warm-up is skipped (it would only delay the next).
let asked = false;

/** The page's own copy as JSON (large results without visit series and per-period details), the
 * whole result in binary for the chart handle, and the engine's words for it (see
 * analyze_for_page in src/web.rs); the parsed data is kept. */
function analyze(id, text, settings) {
  const out = (fast ?? core).analyze_for_page(text, settings);
  held?.parsed.free();
  held = { id, parsed: out.data() };
  return out;
}

/** The bytes of the parsed data an analysis id or bytes name (see the protocol). */
function parsedBytes(which) {
  if (typeof which !== 'number') return which;
  if (held?.id !== which) throw new Error('The engine no longer holds the data of this result (it has newer data): press Analyse, then try again.');
  return held.parsed.to_bytes();
}

/** The model fits (by the extras module, loaded the first time) of parsed data: see the protocol. */
async function fit(which) {
  return (await loadExtras()).fit_models(parsedBytes(which));
}

/** The CSV exports (by the extras module) of parsed data: see the protocol. */
async function tables(which) {
  const t = (await loadExtras()).export_tables(parsedBytes(which));
  const out = { patients: t.patients(), summaries: t.summaries(), stages: t.stages() };
  t.free();
  return out;
}

self.onmessage = async (event) => {
  if (event.data.type === 'init') return init(event.data.module);
  if (event.data.type === 'warm') {
    await ready;
    if (core) await warmUp(event.data.texts ?? {});
    return;
  }
  const { id, text, settings, fit: which } = event.data;
  asked = true;
  await ready;
  if (!core) return self.postMessage({ id, error: 'The engine could not be loaded.' });
  const t0 = performance.now();
  try {
    if (event.data.tables !== undefined) return self.postMessage({ id, ok: true, tables: await tables(event.data.tables) });
    const out =
      event.data.second !== undefined
        ? (await loadExtras()).second_pass(parsedBytes(event.data.second))
        : which === undefined
          ? analyze(id, text, settings)
          : await fit(which);
    const json = out.view();
    const bytes = out.bytes();
    const texts = out.texts();
    out.free();
    self.postMessage({ id, ok: true, json, bytes, texts, ms: performance.now() - t0 }, [bytes.buffer]);
  } catch (err) {
    const panic = takePanic();
    if (panic || isTrap(err)) self.postMessage({ id, panic: panic ?? String(err) });
    else self.postMessage({ id, error: String(err?.message ?? err) });
  }
};
