// The page: makes the engine, the result holder and the views, and wires them to each other and
// to the document. All parsing, statistics and drawing happen in the wasm engine; what each
// module owns, and which imports which, is in docs/page.md ("Page architecture").
import { $, el, setStatus, showBanner, hideBanner } from './dom.js';
import { Engine } from './engine.js';
import { createResult } from './result.js';
import { state, setEngine, setPhase } from './state.js';
import { loadVocabulary, num, rateUnit } from './vocab.js';
import { CHARTS, createCharts } from './charts.js';
import { createInput } from './input.js';
import { createModels } from './models.js';
import { createRun } from './run.js';
import { createSession } from './session.js';
import { currentMeasure, errorBars, forgetData, renderColumns, renderMeasures } from './settings.js';
import { createTables } from './tables.js';
import { createTexts } from './texts.js';
import { COLUMNS } from './pkg/example_list.js';

// ?embed=1 (a frame on another page): a compact view of the summary and the charts chosen
// (&charts=a,b), sized to fit the frame.
const params = new URLSearchParams(location.search);
const embed = params.get('embed') === '1';
const only = embed ? (params.get('charts') ?? 'trajectories,waterfall').split(',').filter((c) => CHARTS.includes(c)) : CHARTS;

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
  only: only.length ? only : CHARTS,
  fit: embed,
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
  // The second pass's survival outcomes and stages are in the result (or could not be computed: `error`).
  onSecondPass: (error) => {
    if (error) showBanner(`The survival analysis and stages could not be computed: ${error}`, 'warn');
    // the stages: the table's latest-stage column, the stages export, the explain panel
    $('export-stages-csv').hidden = !(result.analysis()?.stages?.length > 0);
    tables.renderPatients();
    texts.renderSummary();
    texts.renderExplain();
    charts.draw();
  },
  onNone: clearResults,
});

/**
 * Whether a result is on the page: without one the results and charts are hidden (no empty chart
 * frames) and every export disabled, and the first visit's "How to start" shows while there is
 * no data either.
 */
function showing(has) {
  $('results').hidden = $('charts').hidden = !has;
  for (const b of document.querySelectorAll('.needs-result')) b.disabled = !has;
  $('start').hidden = has || embed || input.dataText().trim() !== '';
}

/** Takes the result off the page: summary, tables, explain panel, models, diagnostics, charts. */
function clearResults() {
  result.clear();
  state.selected = null;
  for (const id of ['summary', 'diagnostics', 'columns', 'models-words', 'share-note']) $(id).replaceChildren();
  for (const id of ['patients', 'tests', 'mixed-table']) {
    const t = $(id);
    t.tHead.replaceChildren(el('tr'));
    t.tBodies[0].replaceChildren();
  }
  $('mixed').hidden = $('table-more').hidden = $('embed-code').hidden = true;
  $('embed-code').value = '';
  texts.renderExplain();
  charts.clear();
  showing(false);
}

/** The whole result on the page; `small`: the charts too, in this task. */
function render(small = false) {
  showing(true);
  // Drawn in this task: the charts' sizes are read first, while the page's layout is still clean
  // (after the new table, reading them would lay out the whole page again: ~25 ms). A scroll bar
  // that the table brings changes their width: the resize observer then draws them again.
  // (Not in the embed view: its charts are sized to what is left below the summary.)
  const layout = small && !embed ? charts.layout() : null;
  // Charts wholly below the screen (the page just opened, at its top): drawn after the page is
  // painted, so that the first screen does not wait for them.
  const afterPaint = layout && layout.top > window.innerHeight;
  const a = result.analysis();
  // the stages export only when the data has ALSFRS-R items (#23)
  $('export-stages-csv').hidden = !(a.stages?.length > 0);
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

/**
 * The modules loaded the first time they are used (www/exporter.js, www/report.js): they get the
 * page's parts they need as arguments. `fn(module, parts)`; a failure in a banner.
 */
function onDemand(load, fn) {
  return async () => {
    try {
      await fn(await load(), { engine, result, charts, tables, view: () => ({ measure: measure(), error_bars: errorBars(), source: state.source, rateUnit: rateUnit(measure()) }) });
    } catch (err) {
      showBanner(err.message, 'warn');
    }
  };
}
// The exports and the report draw the charts: with the charts' engine (the extras module) loaded.
const withCharts = (load) => () => Promise.all([load(), result.ready()]).then(([m]) => m);
const exporter = withCharts(() => import('./exporter.js'));

function wire() {
  input.wire();
  charts.wire();
  $('analyze-btn').addEventListener('click', () => run.analyse());
  const links = () => import('./links.js');
  $('share-btn').addEventListener('click', onDemand(links, (m) => m.share(session.fullState)));
  $('embed-btn').addEventListener('click', onDemand(links, (m) => m.embed(session.fullState)));
  $('clear-btn').addEventListener('click', () => {
    // A shared clinic computer: nothing of the data is left on the page or in the tab.
    run.cancel();
    session.clear();
    input.setDataText('');
    state.source = null;
    forgetData();
    clearResults();
    hideBanner();
    setPhase('empty');
    setStatus('Saved data cleared: the data and its results are gone from this page and this tab.');
  });
  $('template-btn').addEventListener('click', onDemand(() => import('./exporter.js'), (m, parts) => m.exportTemplate(parts)));
  $('settings').addEventListener('submit', (e) => e.preventDefault());
  for (const id of ['month_days', 'pre_source', 'responder_pct', 'responder_abs', 'time_origin', 'group_by', 'delta_fs_cutoffs']) $(id).addEventListener('change', () => run.schedule(0));
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
  $('export-csv').addEventListener('click', onDemand(exporter, (m, parts) => m.exportCsv(parts, 'patients')));
  $('export-summary-csv').addEventListener('click', onDemand(exporter, (m, parts) => m.exportCsv(parts, 'summaries')));
  $('export-stages-csv').addEventListener('click', onDemand(exporter, (m, parts) => m.exportCsv(parts, 'stages')));
  $('export-json').addEventListener('click', onDemand(exporter, (m, parts) => m.exportJson(parts)));
  $('zip-btn').addEventListener('click', onDemand(exporter, (m, parts) => m.exportZip(parts)));
  document.addEventListener('click', (e) => {
    const t = e.target.closest?.('[data-png],[data-svg]');
    if (t) onDemand(exporter, (m, parts) => (t.dataset.png ? m.exportPng(parts, t.dataset.png) : m.exportSvg(parts, t.dataset.svg)))();
  });
  $('report-btn').addEventListener('click', onDemand(withCharts(() => import('./report.js')), (m, parts) => m.openReport(parts)));
  window.addEventListener('hashchange', () => session.start());
}

async function main() {
  // The full page in another site's frame does nothing (a site could lay its own buttons over
  // ours, or take what is pasted): only the embed view is meant for frames. (Hosts that send the
  // headers of README "Hosting the page" keep it out of frames altogether.)
  if (top !== self && !embed) {
    document.body.inert = true;
    return showBanner('Inside another site this page does nothing: open it in its own tab.', 'warn');
  }
  if (embed) {
    document.body.classList.add('embed');
    const full = new URL(location.href);
    full.search = '';
    $('full-link').href = full.href;
  }
  wire();
  showing(false);
  // An example in the address: its data (www/pkg/examples.js) is fetched while the engine loads.
  if (/[#&]example=/.test(location.hash)) import('./pkg/examples.js').catch(() => {});
  try {
    await engine.start(setEngine);
  } catch (err) {
    showBanner(`The analysis engine could not be loaded: ${err.message}`);
    setStatus('Engine not loaded.');
    return;
  }
  loadVocabulary(engine.core);
  input.renderExamples();
  // the columns of the template (www/exporter.js), which are the lead-in example's
  $('start-columns').textContent = COLUMNS.split(',').join(', ');
  await session.start();
  if (!result.analysis() && !input.dataText().trim()) setPhase('empty');
  // Nothing to analyse and draw: the page is idle now (else once the charts are drawn).
  if (!['pending', 'busy', 'showing'].includes(state.phase) && state.charts !== 'pending') engine.warm();
}

// Test hooks (used by tests/e2e and scripts/bench-page.mjs).
window.alsAnalysis = () => result.analysis();
window.alsFormat = (x, digits) => num(x, digits);
window.alsAnalysisJsonLength = () => result.jsonLength();
window.alsOversizedLength = () => state.oversized?.text.length ?? 0;
window.alsHits = (name) => charts.hitList(name);
// The next analysis asks the engine to panic on purpose.
window.alsDebugPanic = () => run.analyse({ debugPanic: true });
// A panic on the main thread (where charts are drawn): the module is re-instantiated.
window.alsDebugPanicMainThread = () => {
  try {
    engine.call((core) => core.analyze_for_page('x', '{"debug_panic":true}'));
    return { kind: 'none' };
  } catch (err) {
    if (err.kind === 'panic') showBanner(`The engine hit an internal error and was restarted; your data and settings are kept. Details: ${err.message}`);
    const after = JSON.parse(engine.call((core) => core.vocabulary())).measures.length;
    return { kind: err.kind, message: err.message, after };
  }
};

main();
