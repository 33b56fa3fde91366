// The page's state, declared in one place, and the only writer of body[data-*], which the e2e
// tests and scripts/bench-page.mjs wait on:
//   data-state   where an analysis is: pending (text or settings changed; a result still in
//                flight is then dropped, never shown), busy (the engine analyses), showing (this
//                thread puts the result on the page), ready, error, too-large, or empty (no data:
//                the page was cleared, or the text emptied; nothing is shown)
//   data-charts  pending | drawn
//   data-models  offered (the "Fit" button is shown) | pending | fitting | done | error
//   data-engine  worker | main-thread (once the worker is up, or could not start)
// The page's code reads these from `state`, never from the document. The analysis shown is
// held by result.js; the settings form's values live in the form (settings.js).

export const state = Object.seal({
  phase: null, // body[data-state]
  charts: null, // body[data-charts]
  models: null, // body[data-models]
  seq: 0, // number of the latest analysis asked for: a result of an older one is dropped
  selected: null, // id of the selected patient
  sort: { key: null, dir: 1 }, // order of the patient table
  showAll: false, // the patient table shows all its rows
  columns: {}, // column header → role, as the user corrected it (sent with the settings)
  sheet: null, // the one table (sheet or file) to read, as the user chose it (sent with the settings)
  headerRow: null, // the header's line in that table, as the user chose it (sent with the settings)
  wantMeasure: null, // the measure to show once a result has it (from a link or the session)
  wantModels: false, // the user asked for the model fits: refitted after every analysis
  held: null, // large data held in memory, the paste area showing its first lines: { text, previewLines }
  oversized: null, // data too large to analyse, kept to be saved as a file: { text, name }
  notSaved: false, // the data is too large for the session store
  source: null, // where the data came from, in words (a file's name, an example, a link), for the report
});

function mirror(key, attr, value) {
  state[key] = value;
  document.body.dataset[attr] = value;
}

export function setPhase(value) {
  mirror('phase', 'state', value);
  markShown();
}

export function setCharts(value) {
  mirror('charts', 'charts', value);
  markShown();
}

export function setModels(value) {
  mirror('models', 'models', value);
}

/** body[data-engine] (the page itself never needs to know: the engine decides where it runs). */
export function setEngine(value) {
  document.body.dataset.engine = value;
}

/** The page shows a whole result (table and charts): a mark for scripts/bench-page.mjs. */
function markShown() {
  if (state.phase === 'ready' && state.charts === 'drawn') performance.mark('als:shown');
}
