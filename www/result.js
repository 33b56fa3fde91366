// The one holder of the result shown: the page's copy of the analysis (parsed from the engine's
// JSON view: above 10,000 input rows without visit series and period details), the engine's
// binary copy and the chart handle made from it (ChartData in src/web.rs), the engine's words for
// it, the model fits, and the name of the parsed data the engine keeps for fitting them. It answers for a patient, a
// series, the settings the analysis used, the tests in words, and the exports. No other module
// keeps a copy of any of these.

/** `engine`: the Engine (www/engine.js) that made the results. */
export function createResult(engine) {
  let shown = null; // { view, bytes, texts, jsonLength, data, fits } of the result on the page
  let chart = null; // { handle, of, generation }: the chart handle of `shown`, made when first asked for
  let extra = null; // { handle, of }: the extras module's chart handle of `shown` (the survival charts)

  const generation = () => engine.generation ?? 0;

  /** Frees the chart handle (unless an engine restart has made it invalid already). */
  function dropHandle() {
    if (chart && chart.generation === generation()) chart.handle.free();
    chart = null;
    try {
      extra?.handle.free();
    } catch {
      // an extras module that trapped cannot free it
    }
    extra = null;
  }

  /** The chart handle of the result: made once from the binary copy, and again after an engine restart. */
  function handle() {
    if (!shown?.bytes) return null;
    if (chart?.of === shown && chart.generation === generation()) return chart.handle;
    dropHandle();
    const t0 = performance.now();
    const h = engine.call((core) => core.ChartData.from_bytes(shown.bytes));
    performance.measure('als:chartdata', { start: t0 });
    if (shown.fits) engine.call(() => h.set_models(shown.fits));
    if (shown.survival) engine.call(() => h.set_survival(shown.survival));
    chart = { handle: h, of: shown, generation: generation() };
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
      shown = { view, bytes: bytes ?? null, texts: JSON.parse(texts || '{}'), jsonLength: json.length, data, fits: null, survival: null };
    },

    /**
     * The chart handle of the survival charts: the extras module's (they are drawn there, see
     * setSurvival), made from the binary copy and the survival outcomes; null until then.
     */
    survivalHandle() {
      if (!shown?.survival || !shown.extras) return null;
      if (shown.extras === engine.core) return handle();
      if (extra?.of === shown) return extra.handle;
      const h = shown.extras.ChartData.from_bytes(shown.bytes);
      h.set_survival(shown.survival);
      extra = { handle: h, of: shown };
      return h;
    },

    /** The data has endpoints (death, tracheostomy, ventilation): the survival pass has something to do. */
    hasEndpoints: () => !!shown?.texts.endpoints,

    /** The survival outcomes (see Engine.survival): `json` for the page, `bytes` for the handles, `texts` the summary's sentences. */
    setSurvival(json, bytes, texts, extras) {
      Object.assign(shown.view, JSON.parse(json));
      shown.extras = extras;
      shown.texts.survival = JSON.parse(texts || '{}').survival ?? [];
      shown.survival = bytes;
      if (chart?.of === shown && chart.generation === generation()) engine.call(() => chart.handle.set_survival(bytes));
    },

    /** The survival outcomes in the engine's sentences (empty until the survival pass). */
    survivalSentences: () => shown?.texts.survival ?? [],

    /** The model fits of the result (see Engine.fitModels): `json` for the page, `bytes` for the handles. */
    setFits(json, bytes) {
      const fits = JSON.parse(json);
      shown.view.mixed_models = fits.mixed_models ?? [];
      shown.view.d50 = fits.d50 ?? [];
      shown.fits = bytes;
      if (chart?.of === shown && chart.generation === generation()) engine.call(() => chart.handle.set_models(bytes));
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
     * Resolves to fn(exports), a chart handle with the exports (SVG, CSV, JSON: the extras
     * module's, made from the binary copy and freed after; see Engine.withExtras).
     */
    withExports(fn) {
      if (!shown?.bytes) return Promise.reject(new Error('No result to export.'));
      return engine.withExtras(shown.bytes, shown.fits, handle, fn, shown.survival);
    },
  };
}
