// The page: makes the engine, the result holder and the views, and wires them to each other and
// to the document. All parsing, statistics and drawing happen in the wasm engine; what each
// module owns, and which imports which, is in docs/page.md ("Page architecture").
import { $, download, setStatus, showBanner } from './dom.js';
import { Engine } from './engine.js';
import { createResult } from './result.js';
import { state, setEngine } from './state.js';
import { loadVocabulary } from './vocab.js';
import { createCharts } from './charts.js';
import { createInput } from './input.js';
import { createModels } from './models.js';
import { createRun } from './run.js';
import { createSession } from './session.js';
import { currentMeasure, errorBars, renderColumns, renderMeasures } from './settings.js';
import { createTables } from './tables.js';
import { createTexts } from './texts.js';

const engine = new Engine();
const result = createResult(engine);
const measure = () => currentMeasure(result.analysis());

const input = createInput({ engine, onEdit: (delay) => run.schedule(delay), onNewData: () => run.analyse() });
const session = createSession({ input, analyse: () => run.analyse(), loadExample: (name) => input.loadExample(name), checkSettings: (json) => engine.call((core) => core.check_settings(json)) });
const tables = createTables({ result, measure, onSelect: select });
const texts = createTexts({ result, measure });
const models = createModels({ result, measure });
const charts = createCharts({
  engine,
  result,
  view: () => ({ measure: measure(), error_bars: errorBars() }),
  onSelect: select,
  onDrawn: () => {
    // The worker starts (see Engine.ensureWorker) once these charts are on screen, not before.
    requestAnimationFrame(() => setTimeout(() => engine.warm(), 0));
    run.chartsDrawn();
  },
});
const run = createRun({
  engine,
  result,
  dataText: input.dataText,
  persist: session.persist,
  render,
  models,
  onFitted: () => {
    texts.renderExplain();
    charts.draw();
  },
});

/** The whole result on the page; `small`: the charts too, in this task. */
function render(small = false) {
  // Drawn in this task: the charts' sizes are read first, while the page's layout is still clean
  // (after the new table, reading them would lay out the whole page again: ~25 ms). A scroll bar
  // that the table brings changes their width: the resize observer then draws them again.
  const layout = small ? charts.layout() : null;
  // Charts wholly below the screen (the page just opened, at its top): drawn after the page is
  // painted, so that the first screen does not wait for them.
  const afterPaint = small && layout.top > window.innerHeight;
  const a = result.analysis();
  renderMeasures(a);
  renderColumns(a, () => run.schedule(0));
  input.renderDiagnostics(a);
  texts.renderSummary();
  tables.renderPatients();
  tables.renderTests();
  models.render();
  texts.renderExplain();
  if (afterPaint) charts.drawAfterPaint();
  else charts.draw(small, layout);
}

function select(id) {
  state.selected = id;
  tables.markSelected(id);
  texts.renderExplain();
  charts.draw();
}

async function exportResults(kind) {
  if (!result.analysis()) return;
  const [name, type] = kind === 'csv' ? ['als-progression-results.csv', 'text/csv'] : ['als-progression-results.json', 'application/json'];
  try {
    // JSON: the same as the CLI's (with --include-series), with the model fits of the second pass.
    const text = await result.withExports((data) => (kind === 'csv' ? data.csv() : data.json()));
    download(name, new Blob([text], { type }));
  } catch (err) {
    showBanner(`${kind.toUpperCase()} export failed: ${err.message}`, 'warn');
  }
}

function wire() {
  input.wire();
  charts.wire();
  $('analyze-btn').addEventListener('click', () => run.analyse());
  $('share-btn').addEventListener('click', () => session.share().catch((e) => showBanner(e.message, 'warn')));
  $('embed-btn').addEventListener('click', () => session.embed().catch((e) => showBanner(e.message, 'warn')));
  $('clear-btn').addEventListener('click', () => {
    session.clear();
    input.setDataText('');
    result.clear();
    setStatus('Saved data cleared.');
  });
  $('settings').addEventListener('submit', (e) => e.preventDefault());
  for (const id of ['month_days', 'pre_source', 'responder_pct', 'responder_abs', 'time_origin']) $(id).addEventListener('change', () => run.schedule(0));
  $('measure').addEventListener('change', () => {
    session.persist();
    run.schedule(0);
  });
  $('error_bars').addEventListener('change', () => {
    session.persist();
    charts.draw();
  });
  $('fit-models').addEventListener('click', run.fitAsked);
  $('show-all').addEventListener('click', () => {
    state.showAll = true;
    tables.renderPatients();
  });
  $('export-csv').addEventListener('click', () => exportResults('csv'));
  $('export-json').addEventListener('click', () => exportResults('json'));
  window.addEventListener('hashchange', () => session.start());
}

async function main() {
  const embed = new URLSearchParams(location.search).get('embed') === '1';
  // The full page in another site's frame does nothing (a site could lay its own buttons over
  // ours, or take what is pasted): only the embed view is meant for frames. (Hosts that send the
  // headers of README "Hosting the page" keep it out of frames altogether.)
  if (top !== self && !embed) {
    document.body.inert = true;
    return showBanner('Inside another site this page does nothing: open it in its own tab.', 'warn');
  }
  if (embed) document.body.classList.add('embed');
  wire();
  try {
    await engine.start(setEngine);
  } catch (err) {
    showBanner(`The analysis engine could not be loaded: ${err.message}`);
    setStatus('Engine not loaded.');
    return;
  }
  loadVocabulary(engine.core);
  input.renderExamples();
  await session.start();
  // Nothing to analyse and draw: the page is idle now (else once the charts are drawn).
  if (!['pending', 'busy', 'showing'].includes(state.phase) && state.charts !== 'pending') engine.warm();
}

// Test hooks (used by tests/e2e and scripts/bench-page.mjs).
window.alsAnalysis = () => result.analysis();
window.alsAnalysisJsonLength = () => result.jsonLength();
window.alsOversizedLength = () => state.oversized?.text.length ?? 0;
window.alsHits = (name) => charts.hitList(name);
// The next analysis asks the engine to panic on purpose.
window.alsDebugPanic = () => run.analyse({ debugPanic: true });
// A panic on the main thread (where charts are drawn): the module is re-instantiated.
window.alsDebugPanicMainThread = () => {
  try {
    engine.call((core) => core.analyze('x', '{"debug_panic":true}'));
    return { kind: 'none' };
  } catch (err) {
    if (err.kind === 'panic') showBanner(`The engine hit an internal error and was restarted; your data and settings are kept. Details: ${err.message}`);
    const after = JSON.parse(engine.call((core) => core.examples())).length;
    return { kind: err.kind, message: err.message, after };
  }
};

main();
