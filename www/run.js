// When the data is analysed and how a result reaches the page: an analysis after each change
// (a result of older data or settings is dropped, never shown), the result put on the page in
// steps when it is large, and the model fits, on request, once the charts are drawn, from the
// parsed data the engine kept (the text is not sent again). body[data-state] and
// body[data-models] through state.js.
import { setStatus, showBanner, hideBanner } from './dom.js';
import { EngineError } from './engine.js';
import { MAX_TEXT_BYTES, tooLarge } from './input.js';
import { readSettings } from './settings.js';
import { state, setPhase, setCharts, setModels } from './state.js';

// A result this small (an example: 40-140 KB of JSON) is put on the page and drawn in one task:
// the pauses that keep a large one responsive would only add a layout and a paint per step.
const SMALL_RESULT = 512 * 1024;

/**
 * `engine`, `result`: the Engine and the result holder; `dataText()`: the data; `persist()`:
 * save text and settings in the session; `render(small)`: put the result on the page (and the
 * charts in this task when `small`); `models`: the models panel (models.js); `onFitted()`: the
 * fits are in the result (redraw what shows them); `onNone()`: no result to show (the data could
 * not be analysed, or there is none): the previous one is taken off the page.
 */
export function createRun({ engine, result, dataText, persist, render, models, onFitted, onSecondPass, onNone }) {
  let timer = 0;
  let shownSeq = -1; // the analysis whose result is on the page
  let afterCharts = null; // to run once the charts are drawn (the model fits)

  /** The text or settings changed: analyse after `delay` ms. */
  function schedule(delay = 300) {
    clearTimeout(timer);
    // a result still in flight is stale now: it is dropped, not shown
    state.seq++;
    afterCharts = null;
    setPhase('pending');
    // the charts and model fits shown (if any) are of the previous data until redrawn / refitted
    if (state.charts) setCharts('pending');
    if (state.models) setModels('pending');
    timer = setTimeout(analyse, delay);
  }

  /** No analysis now, nor any still in flight or scheduled. */
  function cancel() {
    clearTimeout(timer);
    state.seq++;
    afterCharts = null;
  }

  /** Analyse the data now. `debugPanic`: ask the engine to panic (the e2e test of the recovery). */
  async function analyse({ debugPanic = false } = {}) {
    const text = dataText();
    persist();
    if (!text.trim()) {
      cancel();
      onNone();
      setPhase('empty');
      setStatus('Paste data or choose an example.');
      return;
    }
    const seq = ++state.seq;
    if (text.length > MAX_TEXT_BYTES) return tooLarge(text);
    const settings = readSettings();
    if (debugPanic) settings.debug_panic = true;
    setStatus('Analysing…');
    setPhase('busy');
    if (state.models) setModels('pending');
    try {
      const tw = performance.now();
      const { json, bytes, texts, ms, where, data } = await engine.analyze(text, JSON.stringify(settings));
      performance.measure('als:worker-roundtrip', { start: tw });
      if (seq !== state.seq) return;
      // 'busy' while the engine analyses, 'showing' while this thread puts the result on the
      // page, then 'ready' (the e2e tests and the page bench wait on these).
      setPhase('showing');
      const small = json.length <= SMALL_RESULT;
      const yieldToPage = () => (small ? null : new Promise((r) => setTimeout(r, 0)));
      await yieldToPage();
      if (seq !== state.seq) return;
      result.set(json, bytes, texts, data);
      shownSeq = seq;
      await yieldToPage();
      if (seq !== state.seq) return;
      hideBanner();
      const t1 = performance.now();
      render(small);
      performance.measure('als:render', { start: t1 });
      setStatus(`${counts(result.analysis())} Analysed in ${ms.toFixed(0)} ms (${where}).${state.notSaved ? ' The data is too large to be kept across a reload of this tab.' : ''}`);
      setPhase('ready');
      // Mixed models and D50 curves are fitted on request ("Fit models"; from then on after every
      // analysis): their code is a separate module, loaded the first time. The pass starts once
      // the charts are drawn: on two cores a worker fitting thousands of models slows the drawing
      // (the browser's raster threads need the other core).
      models.show();
      if (!state.wantModels) {
        models.offer();
        setModels('offered');
      } else whenDrawn(() => fit(seq));
      // The survival outcomes (#22) and stages (#23), when the data has endpoints or items: the
      // extras module's second pass (at once: the charts wait for that module too), then their
      // charts and sentences are added.
      if (result.needsSecondPass()) secondPass(seq);
    } catch (err) {
      if (seq !== state.seq) return;
      // The previous data's results are not these data's: off the page.
      onNone();
      setPhase('error');
      if (err instanceof EngineError && err.kind === 'panic') {
        showBanner(`The engine hit an internal error and was restarted; your data and settings are kept. Details: ${err.message}`);
        setStatus('Internal error: the engine was restarted. Change something or press Analyse to retry.');
      } else {
        showBanner(err.message, 'warn');
        setStatus('The data could not be analysed.');
      }
    }
  }

  /** "8 patients from 47 rows; 3 rows with errors (see the diagnostics)." (the engine's `counts`) */
  function counts(a) {
    const c = a.counts;
    const n = (k, one, many = `${one}s`) => `${k} ${k === 1 ? one : many}`;
    const errors = c.n_rows_with_errors ? `; ${n(c.n_rows_with_errors, 'row')} with errors (see the diagnostics)` : '';
    // The plausibility checks (#23): counted here, listed in the diagnostics.
    const odd = a.diagnostics?.filter((d) => d.kind === 'implausible').length ?? 0;
    const checks = odd ? `; ${n(odd, 'implausible value')} to check (see the diagnostics)` : '';
    return `${n(c.n_patients, 'patient')} from ${n(c.n_rows, 'row')}${errors}${checks}.`;
  }

  function whenDrawn(fn) {
    if (state.charts === 'drawn') fn();
    else {
      const before = afterCharts;
      afterCharts = before
        ? () => {
            before();
            fn();
          }
        : fn;
    }
  }

  /** All the charts are drawn. */
  function chartsDrawn() {
    const next = afterCharts;
    afterCharts = null;
    next?.();
  }

  /** "Fit models": now, and after every analysis from then on. */
  function fitAsked() {
    state.wantModels = true;
    persist();
    if (shownSeq !== state.seq || state.phase !== 'ready') return; // the next analysis fits them
    whenDrawn(() => fit(shownSeq));
  }

  // Second pass: mixed models and D50 fits, in the worker; the page stays usable meanwhile.
  async function fit(seq) {
    models.fitting();
    setModels('fitting');
    try {
      const t0 = performance.now();
      const { json, bytes } = await engine.fitModels(result.data());
      if (seq !== state.seq) return;
      result.setFits(json, bytes);
      await models.fitted((performance.now() - t0) / 1000);
      if (seq !== state.seq) return;
      onFitted();
      setModels('done');
    } catch (err) {
      if (seq !== state.seq) return;
      models.failed(err.message);
      setModels('error');
    }
  }

  // The second pass: Kaplan–Meier, log-rank, Cox and CAFS, and the stages of the data, by the extras module.
  async function secondPass(seq) {
    try {
      const { json, bytes, texts } = await engine.secondPass(result.data());
      if (seq !== state.seq) return;
      result.setSecondPass(json, bytes, texts);
      onSecondPass();
    } catch (err) {
      if (seq !== state.seq) return;
      result.setSecondPass(null, null, null);
      onSecondPass(err.message);
    }
  }

  return { schedule, analyse, cancel, chartsDrawn, fitAsked };
}
