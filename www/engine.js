// The analysis engine as the page sees it: a module worker when one can start, else the main
// thread. Panics are reported (kind 'panic'), the worker is restarted / the module re-instantiated.
import { loadCore, coreModule, loadExtras, loadedExtras, dropExtras, resetCore, takePanic, isTrap } from './core.js';
import { wasmBytes } from './pkg/als_core_wasm.js';

const WORKER_TIMEOUT_MS = 15000;
// Data this small (the examples are 3–25 KB) is analysed on the main thread until the worker is
// up: a few milliseconds, rather than waiting for the worker.
const SMALL_TEXT = 64 * 1024;

export class EngineError extends Error {
  constructor(kind, message) {
    super(message);
    this.kind = kind; // 'input' | 'panic' | 'load'
  }
}

/** The extras module (loaded the first time); EngineError('load') when it cannot be loaded. */
async function extrasModule() {
  try {
    return await loadExtras();
  } catch (err) {
    throw new EngineError('load', `The extras module (charts, models and exports) could not be loaded: ${err?.message ?? err}`);
  }
}

/** An exception of a call into the extras module as an EngineError; after a panic (a trap), the
 * module's next use starts a fresh instance. */
function extrasError(err) {
  const panic = takePanic();
  if (panic || isTrap(err)) {
    dropExtras();
    return new EngineError('panic', panic ?? String(err));
  }
  return new EngineError('input', String(err?.message ?? err));
}

export class Engine {
  constructor() {
    this.core = null; // main-thread module (small data, fallback analysis)
    this.worker = null;
    this.mode = 'starting';
    this.pending = new Map();
    this.nextId = 1;
  }

  /**
   * Resolves once this thread's module is ready (charts can be drawn, small data analysed). The
   * worker is started later (see ensureWorker), with this thread's compiled module (it does not
   * import and compile the bytes again); `onMode(mode)` says when it is up ('worker') or could
   * not start ('main-thread'). Until then, only small data is analysed here.
   */
  async start(onMode = () => {}) {
    this.core = await loadCore(() => {}, await wasmBytes());
    this.onMode = onMode;
    return this.mode;
  }

  /**
   * Starts the worker, once: when the page has shown its first result (or has none to show), or
   * when large data comes first. Creating it takes the main thread ~7 ms, which the example
   * shown at load does not wait for.
   */
  ensureWorker() {
    if (this.mode === 'starting' && !this.workerStarting) {
      this.workerStarting = this.startWorker().then((ok) => {
        this.mode = ok ? 'worker' : 'main-thread';
        this.workerStarting = null;
        this.onMode?.(this.mode);
      });
    }
    return this.workerStarting;
  }

  /** The page is drawn and idle: the worker starts and may warm up (see www/worker.js); once. */
  warm() {
    if (this.warmed) return;
    this.warmed = true;
    // The examples' texts are what the worker analyses to warm up (www/pkg/examples.js).
    Promise.all([this.ensureWorker(), import('./pkg/examples.js')])
      .then(([, { TEXTS }]) => this.worker?.postMessage({ type: 'warm', texts: TEXTS }))
      .catch(() => {});
  }

  /** Single file (file://): classic worker from a Blob URL; served page: module worker. */
  newWorker() {
    const b = globalThis.ALS_BUNDLE;
    if (b) return new Worker(b.classicWorkerUrl(), { name: 'als-engine' });
    return new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: 'als-engine' });
  }

  startWorker() {
    return new Promise((resolve) => {
      let worker;
      try {
        worker = this.newWorker();
        worker.postMessage({ type: 'init', module: coreModule() });
      } catch {
        worker?.terminate();
        resolve(false);
        return;
      }
      const timer = setTimeout(() => done(false), WORKER_TIMEOUT_MS);
      const done = (ok) => {
        clearTimeout(timer);
        if (!ok) {
          worker.terminate();
          resolve(false);
          return;
        }
        this.worker = worker;
        resolve(true);
      };
      worker.onerror = (e) => {
        e.preventDefault?.();
        if (this.worker !== worker) done(false);
        else this.failAll(new EngineError('panic', `The analysis worker failed: ${e.message || 'unknown error'}`), true);
      };
      worker.onmessage = (e) => {
        const m = e.data;
        if (m.type === 'ready') return done(true);
        if (m.type === 'load-error') return done(false);
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve({ json: m.json, bytes: m.bytes, texts: m.texts, ms: m.ms, tables: m.tables, where: 'worker' });
        else if (m.panic) {
          this.restartWorker();
          p.reject(new EngineError('panic', m.panic));
        } else p.reject(new EngineError('input', m.error));
      };
    });
  }

  /** A request to the worker (see www/worker.js); resolves to its answer and the request's id. */
  post(message, transfer = []) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: (answer) => resolve({ ...answer, id }), reject });
      this.worker.postMessage({ id, ...message }, transfer);
    });
  }

  failAll(err, restart) {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    if (restart) this.restartWorker();
  }

  restartWorker() {
    if (this.worker) this.worker.terminate();
    this.worker = null;
    this.restarting = this.startWorker().then((ok) => {
      if (!ok) this.mode = 'main-thread';
    });
  }

  /**
   * Resolves to { json, bytes, texts, ms, where, data } (json, bytes, texts: see analyze_for_page in
   * src/web.rs; `where` is 'worker' or 'main thread'; `data` names the parsed data the engine
   * keeps for fitModels); rejects with EngineError. Until the worker is up, data of up to
   * SMALL_TEXT characters is analysed on this thread (an example takes a few ms); larger data
   * starts the worker and waits for it, so that the page stays responsive.
   */
  async analyze(text, settingsJson) {
    const here = text.length <= SMALL_TEXT && this.core;
    if (!this.worker && !here) await this.ensureWorker();
    if (this.restarting) await this.restarting;
    if (this.worker) {
      const worker = this.worker;
      // The worker keeps this analysis' parsed data (in place of its previous one).
      const { id, ...answer } = await this.post({ text, settings: settingsJson });
      return { ...answer, data: { worker, id } };
    }
    return this.analyzeHere(text, settingsJson);
  }

  analyzeHere(text, settingsJson) {
    const t0 = performance.now();
    let json;
    let bytes;
    let texts;
    let parsed;
    try {
      const out = this.core.analyze_for_page(text, settingsJson);
      json = out.view();
      bytes = out.bytes();
      texts = out.texts();
      parsed = out.data();
      out.free();
    } catch (err) {
      this.recover(err);
    }
    const data = { parsed, generation: this.generation ?? 0 };
    this.keep(data);
    return { json, bytes, texts, ms: performance.now() - t0, where: 'main thread', data };
  }

  /** The parsed data this thread keeps for fitModels (of its last analysis), the previous one freed. */
  keep(data) {
    const old = this.held;
    if (old && old.generation === (this.generation ?? 0)) old.parsed.free();
    this.held = data;
  }

  /**
   * The mixed models and D50 fits of an analysis (`data` from analyze), by the extras module
   * (loaded the first time): resolves to { json, bytes } (see fit_models in src/web.rs); rejects
   * with EngineError. No text is sent or read again: the worker fits the parsed data it keeps,
   * or is sent the binary copy of the data this thread keeps (an example analysed before the
   * worker was up), so that the page stays responsive.
   */
  fitModels(data) {
    return this.withParsed(data, 'fit', (engine, bytes) => {
      const out = engine.fit_models(bytes);
      const json = out.view();
      const fits = out.bytes();
      out.free();
      return { json, bytes: fits };
    });
  }

  /**
   * The second pass of an analysis (`data` from analyze), when its data has endpoints or ALSFRS-R
   * items: the survival outcomes (#22: Kaplan–Meier, log-rank, Cox, CAFS) and the per-visit stages
   * (#23), by the extras module, as fitModels does its fits: resolves to { json, bytes, texts }
   * (see second_pass in src/web.rs); rejects with EngineError.
   */
  secondPass(data) {
    return this.withParsed(data, 'second', (engine, bytes) => {
      const out = engine.second_pass(bytes);
      const r = { json: out.view(), bytes: out.bytes(), texts: out.texts() };
      out.free();
      return r;
    });
  }

  /** The extras module (loaded the first time): the charts' engine on this thread. */
  extras() {
    return extrasModule();
  }

  /** The extras module if it is loaded, else null (see extras()). */
  extrasNow() {
    return loadedExtras();
  }

  /**
   * fn(extras) on this thread, the extras module loaded (see extrasNow): an exception as an
   * EngineError; after a panic the module (or, in the single file, the core) starts afresh.
   */
  callExtras(fn) {
    const m = loadedExtras();
    if (!m) throw new EngineError('load', 'The chart engine is not loaded yet.');
    if (m === this.core) return this.call(() => fn(m));
    try {
      return fn(m);
    } catch (err) {
      throw extrasError(err);
    }
  }

  /**
   * The CSV exports of an analysis (`data` from analyze): its data analysed again for every
   * measure, by the extras module (export_tables in src/web.rs), as fitModels does its fits.
   * Resolves to { patients, summaries, stages } (CSV texts); rejects with EngineError.
   */
  async exportTables(data) {
    const out = await this.withParsed(data, 'tables', (engine, bytes) => {
      const t = engine.export_tables(bytes);
      const tables = { patients: t.patients(), summaries: t.summaries(), stages: t.stages() };
      t.free();
      return { tables };
    });
    return out.tables;
  }

  /**
   * `here(extras, bytes)` of the parsed data of an analysis (`data` from analyze), or the same
   * task (`kind`: 'fit' or 'tables') by the worker, which holds the data or is sent its bytes
   * (see the worker's protocol).
   */
  async withParsed(data, kind, here) {
    const gone = () => new EngineError('input', 'The engine no longer holds the data of this result (it was restarted or has newer data): press Analyse, then try again.');
    if (data.worker) {
      if (data.worker !== this.worker) throw gone();
      return this.post({ [kind]: data.id });
    }
    if (data !== this.held || data.generation !== (this.generation ?? 0)) throw gone();
    const bytes = this.call(() => data.parsed.to_bytes());
    if (!this.worker) await this.ensureWorker();
    if (this.restarting) await this.restarting;
    if (this.worker) return this.post({ [kind]: bytes }, [bytes.buffer]);
    const engine = await extrasModule();
    try {
      return here(engine, bytes);
    } catch (err) {
      if (engine === this.core) this.recover(err);
      throw extrasError(err);
    }
  }

  /** Wrap a main-thread call of the core: panics → re-instantiate and throw EngineError('panic'). */
  call(fn) {
    try {
      return fn(this.core);
    } catch (err) {
      this.recover(err);
    }
  }

  recover(err) {
    const panic = takePanic();
    if (panic || isTrap(err)) {
      // Objects made by the old instance (chart handles) are invalid from here on.
      this.generation = (this.generation ?? 0) + 1;
      try {
        resetCore();
      } catch (e) {
        throw new EngineError('panic', `${panic ?? err}; the engine could not be restarted: ${e.message}`);
      }
      throw new EngineError('panic', panic ?? String(err));
    }
    throw new EngineError('input', String(err?.message ?? err));
  }
}
