// The one holder of the result shown: the page's copy of the analysis (parsed from the engine's
// JSON view: above 10,000 input rows without visit series and period details), the engine's
// binary copy and the chart handle made from it (ChartData in src/web.rs, in the extras module:
// the charts, the explain panel's series and the exports), the engine's words for
// it, the model fits, and the name of the parsed data the engine keeps for fitting them. It answers for a patient, a
// series, the settings the analysis used, the tests in words, and the exports. No other module
// keeps a copy of any of these.

/** `engine`: the Engine (www/engine.js) that made the results. */
export function createResult(engine) {
  let shown = null; // { view, bytes, texts, jsonLength, data, fits } of the result on the page
  let chart = null; // { handle, of, module, generation }: the chart handle of `shown`, made when first asked for

  const generation = () => engine.generation ?? 0;

  /** Whether the chart handle is still valid (not made invalid by a restart of its module). */
  const valid = (c) => c && c.module === engine.extrasNow() && c.generation === generation();

  /** Frees the chart handle (unless a restart of its module has made it invalid already). */
  function dropHandle() {
    if (valid(chart)) {
      try {
        chart.handle.free();
      } catch {
        // a module that trapped cannot free it
      }
    }
    chart = null;
  }

  /**
   * The chart handle of the result, by the extras module (null until that module is loaded: see
   * Engine.extras): made once from the binary copy (with the model fits and survival outcomes
   * added as they come), and again after a restart of its module. Throws EngineError.
   */
  function handle() {
    if (!shown?.bytes || !engine.extrasNow()) return null;
    if (chart?.of === shown && valid(chart)) return chart.handle;
    dropHandle();
    const t0 = performance.now();
    const h = engine.callExtras((m) => m.ChartData.from_bytes(shown.bytes));
    performance.measure('als:chartdata', { start: t0 });
    if (shown.fits) engine.callExtras(() => h.set_models(shown.fits));
    if (shown.second) engine.callExtras(() => h.set_second_pass(shown.second));
    chart = { handle: h, of: shown, module: engine.extrasNow(), generation: generation() };
    return h;
  }

  /** Patient results of a measure (all when `measure` is null). */
  function patients(measure) {
    return (shown?.view.patients ?? []).filter((p) => !measure || p.measure === measure);
  }

  return {
    /** A new result: the engine's `json` view, binary copy `bytes`, `texts` and parsed `data` (see Engine.analyze). */
    set(json, bytes, texts, data) {
      dropHandle();
      const t0 = performance.now();
      const view = JSON.parse(json);
      performance.measure('als:parse', { start: t0 });
      shown = { view, bytes: bytes ?? null, texts: JSON.parse(texts || '{}'), jsonLength: json.length, data, fits: null, second: null, secondDone: false };
    },

    /**
     * The data has endpoints (death, tracheostomy, ventilation) or ALSFRS-R items: the second pass
     * (survival outcomes, stages; see Engine.secondPass) has something to do.
     */
    needsSecondPass: () => !!((shown?.texts.endpoints || shown?.texts.items) && !shown.texts.second_pass_done),

    /** The second pass is asked for and not in yet (the charts it adds are still to come). */
    secondPending: () => !!(shown && (shown.texts.endpoints || shown.texts.items) && !shown.texts.second_pass_done && !shown.secondDone),

    /**
     * The second pass's results (see Engine.secondPass): `json` for the page, `bytes` for the
     * handle, `texts` the summary's survival sentences; all null when it failed (nothing to wait for).
     */
    setSecondPass(json, bytes, texts) {
      shown.secondDone = true;
      if (json == null) return;
      const { latest_stages: latest = [], ...more } = JSON.parse(json);
      Object.assign(shown.view, more);
      // each staged patient's latest stages, on each of its entries (as the engine's own copy)
      const byId = new Map(latest.map((l) => [l.id, l]));
      for (const p of shown.view.patients ?? []) {
        const { id, ...l } = byId.get(p.id) ?? {};
        if (id !== undefined) Object.assign(p, l);
      }
      shown.texts.survival = JSON.parse(texts || '{}').survival ?? [];
      shown.second = bytes;
      if (chart?.of === shown && valid(chart)) engine.callExtras(() => chart.handle.set_second_pass(bytes));
    },

    /** The survival outcomes in the engine's sentences (empty until the survival pass). */
    survivalSentences: () => shown?.texts.survival ?? [],

    /** The model fits of the result (see Engine.fitModels): `json` for the page, `bytes` for the handles. */
    setFits(json, bytes) {
      const fits = JSON.parse(json);
      shown.view.mixed_models = fits.mixed_models ?? [];
      shown.view.d50 = fits.d50 ?? [];
      shown.fits = bytes;
      if (chart?.of === shown && valid(chart)) engine.callExtras(() => chart.handle.set_models(bytes));
    },

    clear() {
      dropHandle();
      shown = null;
    },

    /** The page's copy of the analysis (with the model fits once fitted), or null. */
    analysis: () => shown?.view ?? null,
    jsonLength: () => shown?.jsonLength ?? 0,
    /** What the engine needs to fit the models of this result (Engine.fitModels). */
    data: () => shown?.data ?? null,
    handle,

    patients,

    /** One patient's full result for a measure, with its periods (from the handle when the page's copy has none). */
    patient(id, measure) {
      const p = patients(measure).find((x) => x.id === id);
      if (!p || p.periods?.length) return p ?? null;
      try {
        return JSON.parse(handle()?.patient_result(id, measure) ?? 'null') ?? p;
      } catch {
        return p; // the summary fields
      }
    },

    /** One patient's visits and events (from the handle when the page's copy has no series). */
    series(id) {
      const s = (shown?.view.series ?? []).find((x) => x.id === id);
      if (s) return s;
      try {
        return JSON.parse(handle()?.patient_series(id) ?? 'null');
      } catch {
        return null;
      }
    },

    /** The settings the analysis used (not the form's values now); `month_days` as the engine applied it. */
    settingsUsed() {
      const s = shown?.view.settings ?? {};
      return { ...s, month_days: shown?.texts.month_days ?? s.month_days };
    },

    /** A test of the analysis (an element of its `tests`) in a sentence, as the engine writes it. */
    testSentence(test) {
      const i = shown?.view.tests?.indexOf(test) ?? -1;
      return shown?.texts.tests?.[i] ?? '';
    },

    /**
     * Resolves to fn(handle), the chart handle with the exports (SVG, CSV, JSON), the extras
     * module loaded first if need be. Rejects with EngineError.
     */
    async withExports(fn) {
      if (!shown?.bytes) throw new Error('No result to export.');
      await engine.extras();
      const h = handle();
      if (!h) throw new Error('No result to export.');
      return engine.callExtras(() => fn(h));
    },

    /** Resolves once the chart handle can be made (the extras module loaded); rejects with EngineError. */
    ready: () => engine.extras(),
  };
}
