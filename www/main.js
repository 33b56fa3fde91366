// Page wiring: DOM only. All parsing, statistics and drawing happen in the wasm engine.
// User text reaches the DOM only as text (textContent / createElement), never as markup.
import { Engine, EngineError } from './engine.js';
import { encodeState, decodeState, readHash, saveSession, loadSession, clearSession, URL_WARN_BYTES } from './share.js';

const $ = (id) => document.getElementById(id);
const CHARTS = ['trajectories', 'patient', 'slopegraph', 'waterfall', 'group_mean', 'interval'];
// Rows of the patient table shown at first (sorted as chosen); "Show all" adds the rest. Each row
// is ~13 elements to style and lay out: 300 rows cost ~100 ms of layout after a large paste.
const TABLE_LIMIT = 100;
// Larger pastes get a clear message instead of an analysis that could exhaust the tab's memory
// (the result is ~8× the text): about 350,000 visit rows. The CLI has no such limit.
const MAX_TEXT_BYTES = 16 * 1024 * 1024;
// Larger data is held in memory and only its first lines are shown in the paste area: Chromium
// needs ~0.7 s per MB to lay out a <textarea>, during which the tab is frozen (a 4.6 MB paste:
// ~3 s). The whole text is analysed, saved, shared and exported as usual.
const HOLD_BYTES = 512 * 1024;
const PREVIEW_LINES = 200;
// A result this small (an example: 40-140 KB of JSON) is put on the page and drawn in one task:
// the pauses that keep a large one responsive would only add a layout and a paint per step.
const SMALL_RESULT = 512 * 1024;
const MEASURE_LABELS = {
  alsfrs_r: 'ALSFRS-R',
  alsfrs: 'ALSFRS',
  fvc: 'FVC (% predicted)',
  aals: 'Appel ALS score',
  alsfrs_r_bulbar: 'ALSFRS-R bulbar',
  alsfrs_r_fine_motor: 'ALSFRS-R fine motor',
  alsfrs_r_gross_motor: 'ALSFRS-R gross motor',
  alsfrs_r_respiratory: 'ALSFRS-R respiratory',
};
const ROLES = ['patient', 'group', 'date', 'month', 'day', 'week', 'visit', 'alsfrs_r', 'alsfrs', 'fvc', 'aals', 'event', 'event_date', 'event_month', 'onset', 'ignore'];

const state = {
  engine: new Engine(),
  analysis: null, // parsed Analysis
  json: '', // the Analysis JSON string (the chart handle, CSV and JSON exports are made from it)
  selected: null,
  sort: { key: null, dir: 1 },
  showAll: false,
  columns: {}, // header → role overrides
  hits: {},
  seq: 0,
  debugPanic: false, // set by tests via window.alsDebugPanic()
  wantModels: false, // the user asked for the model fits: refit them after every analysis
  lastRun: null, // { seq, text, settings } of the result shown
};
const embed = new URLSearchParams(location.search).get('embed') === '1';

// ---------- small DOM helpers ----------
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

function fmt(x, digits = 2) {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  if (typeof x !== 'number') return String(x);
  return x.toFixed(digits);
}

function fmtP(p) {
  if (p === null || p === undefined) return '–';
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

function setStatus(text) {
  $('status').textContent = text;
}

function showBanner(text, kind = 'error', action = null) {
  const b = $('banner');
  const act = action ? el('button', { type: 'button', onclick: action.onclick }, action.label) : null;
  b.replaceChildren(el('span', { text }), act, el('button', { type: 'button', class: 'dismiss', 'aria-label': 'Dismiss', onclick: () => (b.hidden = true) }, '×'));
  b.className = `banner ${kind}`;
  b.hidden = false;
}

function hideBanner() {
  $('banner').hidden = true;
}

function download(name, blob) {
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

// ---------- settings ----------
function readSettings() {
  const num = (id) => {
    const v = $(id).value.trim();
    return v === '' ? null : Number(v);
  };
  const s = {
    month_days: num('month_days') ?? 365.25 / 12,
    pre_source: $('pre_source').value,
    responder_pct: num('responder_pct') ?? 25,
    responder_abs: num('responder_abs'),
    time_origin: $('time_origin').value,
    columns: state.columns,
    // One measure at a time (the one shown); the first present until the user picks one.
    measures: chosenMeasure() ? [chosenMeasure()] : [],
    first_measure_only: true,
    include_series: true,
    // The table and charts come first; mixed models and D50 fits follow in a second pass.
    mixed_models: false,
    d50: false,
  };
  return s;
}

function chosenMeasure() {
  return $('measure').value || state.wantMeasure || null;
}

function viewSettings() {
  return { measure: $('measure').value || null, error_bars: $('error_bars').value, fit_models: state.wantModels || undefined };
}

function applySettings(s = {}) {
  if (s.month_days != null) $('month_days').value = s.month_days;
  if (s.pre_source) $('pre_source').value = s.pre_source;
  if (s.responder_pct != null) $('responder_pct').value = s.responder_pct;
  $('responder_abs').value = s.responder_abs ?? '';
  if (s.time_origin) $('time_origin').value = s.time_origin;
  if (s.error_bars) $('error_bars').value = s.error_bars;
  if (s.measure) state.wantMeasure = s.measure;
  if (s.fit_models === true) state.wantModels = true;
  state.columns = s.columns && typeof s.columns === 'object' ? { ...s.columns } : {};
}

/** The data: the held text when the paste area shows only a preview, else the paste area's. */
function dataText() {
  return state.held?.text ?? $('data').value;
}

/** The whole text in the paste area, editable (no preview, nothing held). */
function showWhole(text) {
  const ta = $('data');
  state.held = null;
  ta.readOnly = false;
  ta.value = text;
  $('held').hidden = true;
}

/** Put data in place: small text into the paste area, large text held with a preview. */
function setDataText(text) {
  const ta = $('data');
  state.oversized = null;
  if (text.length <= HOLD_BYTES) return showWhole(text);
  let end = 0;
  let lines = 0;
  while (lines < PREVIEW_LINES && end < 64 * 1024) {
    const nl = text.indexOf('\n', end);
    if (nl === -1) {
      end = text.length;
      break;
    }
    end = nl + 1;
    lines++;
  }
  let total = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) total++;
  if (!text.endsWith('\n')) total++;
  state.held = { text, previewLines: lines, totalLines: total };
  ta.value = text.slice(0, end);
  ta.readOnly = true;
  $('held-text').textContent = `Showing the first ${lines.toLocaleString('en')} of ${total.toLocaleString('en')} lines (${(text.length / 1024 / 1024).toFixed(1)} MB): all of it is analysed. The box is read-only so the tab stays fast; paste or drop new data to replace it.`;
  $('held').hidden = false;
}

function fullState() {
  return { text: dataText(), settings: { ...readSettings(), ...viewSettings() } };
}

let saveTimer = 0;
function persist() {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    // sessionStorage holds a few MB; a larger text would only cost time and fail.
    const st = fullState();
    if (st.text.length > 4 * 1024 * 1024) {
      saveSession({ ...st, text: '' }); // settings only: never an older, smaller data set
      state.notSaved = true;
    } else state.notSaved = !saveSession(st);
  }, 200);
}

// ---------- analysis ----------
let analyseTimer = 0;
function scheduleAnalyse(delay = 300) {
  clearTimeout(analyseTimer);
  // the text or settings changed: a result still in flight is stale, so it is dropped, not shown
  state.seq++;
  state.afterCharts = null;
  document.body.dataset.state = 'pending';
  // the charts and model fits shown (if any) are of the previous data until redrawn / refitted
  if (document.body.dataset.charts) document.body.dataset.charts = 'pending';
  if (document.body.dataset.models) document.body.dataset.models = 'pending';
  analyseTimer = setTimeout(analyse, delay);
}

async function analyse() {
  const text = dataText();
  persist();
  if (!text.trim()) {
    setStatus('Paste data or choose an example.');
    return;
  }
  const seq = ++state.seq;
  if (text.length > MAX_TEXT_BYTES) {
    const mb = (n) => (n / 1024 / 1024).toFixed(1);
    document.body.dataset.state = 'too-large';
    showBanner(`This data is ${mb(text.length)} MB; the page analyses up to ${mb(MAX_TEXT_BYTES)} MB (about 350,000 visit rows). Your text is kept. For larger files use the command-line tool: als-progression analyze FILE --format csv`, 'warn');
    setStatus('Data too large for the page: nothing was analysed.');
    return;
  }
  const settings = readSettings();
  if (state.debugPanic) {
    settings.debug_panic = true;
    state.debugPanic = false;
  }
  setStatus('Analysing…');
  document.body.dataset.state = 'busy';
  if (document.body.dataset.models) document.body.dataset.models = 'pending';
  try {
    const tw = performance.now();
    const { json, bytes, ms, where } = await state.engine.analyze(text, JSON.stringify(settings));
    performance.measure('als:worker-roundtrip', { start: tw });
    if (seq !== state.seq) return;
    // body[data-state]: 'busy' while the worker analyses, 'showing' while this thread puts the
    // result on the page, then 'ready' (the e2e tests and the page bench wait on these).
    document.body.dataset.state = 'showing';
    const small = json.length <= SMALL_RESULT;
    const yieldToPage = () => (small ? null : new Promise((r) => setTimeout(r, 0)));
    await yieldToPage();
    if (seq !== state.seq) return;
    state.json = json;
    state.bytes = bytes ?? null;
    state.models = null;
    const t0 = performance.now();
    state.analysis = JSON.parse(json);
    performance.measure('als:parse', { start: t0 });
    await yieldToPage();
    if (seq !== state.seq) return;
    hideBanner();
    const t1 = performance.now();
    render(small);
    performance.measure('als:render', { start: t1 });
    const a = state.analysis;
    setStatus(`${a.patients.length} patient results from ${a.input.n_rows} rows in ${ms.toFixed(0)} ms (${where}).${state.notSaved ? ' The data is too large to be kept across a reload of this tab.' : ''}`);
    document.body.dataset.state = 'ready';
    markShown();
    // Mixed models and D50 curves are fitted on request ("Fit models"; from then on after every
    // analysis): their code is a separate module, loaded the first time. The pass starts once
    // the charts are drawn: on two cores a worker fitting thousands of models slows the drawing
    // (the browser's raster threads need the other core).
    state.lastRun = { seq, text, settings };
    $('mixed').hidden = false;
    if (!state.wantModels) offerModels();
    else if (document.body.dataset.charts === 'drawn') fitModels(seq, text, settings);
    else state.afterCharts = () => fitModels(seq, text, settings);
  } catch (err) {
    if (seq !== state.seq) return;
    document.body.dataset.state = 'error';
    if (err instanceof EngineError && err.kind === 'panic') {
      showBanner(`The engine hit an internal error and was restarted; your data and settings are kept. Details: ${err.message}`);
      setStatus('Internal error: the engine was restarted. Change something or press Analyse to retry.');
    } else {
      showBanner(err.message, 'warn');
      setStatus('The data could not be analysed.');
    }
  }
}

function offerModels() {
  $('fit-models').hidden = false;
  $('models-status').textContent = 'Linear mixed models per group and D50 curves per patient are fitted on request, in the background (their code loads as a separate module the first time).';
  $('models-words').replaceChildren();
  $('mixed-table').hidden = true;
  document.body.dataset.models = 'offered';
}

function onFitModels() {
  state.wantModels = true;
  persist();
  const run = state.lastRun;
  if (!run || run.seq !== state.seq || document.body.dataset.state !== 'ready') return; // the next analysis fits them
  if (document.body.dataset.charts === 'drawn') fitModels(run.seq, run.text, run.settings);
  else state.afterCharts = () => fitModels(run.seq, run.text, run.settings);
}

// Second pass: mixed models and D50 fits, in the worker; the page stays usable meanwhile.
async function fitModels(seq, text, settings) {
  $('fit-models').hidden = true;
  $('mixed-table').hidden = false;
  document.body.dataset.models = 'fitting';
  $('models-status').textContent = 'Fitting mixed models and D50 curves…';
  $('mixed').hidden = false;
  try {
    const t0 = performance.now();
    const { json, bytes } = await state.engine.analyze(text, JSON.stringify({ ...settings, mixed_models: true, d50: true, include_series: false }), true);
    if (seq !== state.seq) return;
    const models = JSON.parse(json);
    state.analysis.mixed_models = models.mixed_models ?? [];
    state.analysis.d50 = models.d50 ?? [];
    state.models = bytes; // for the chart handles (binary: see ChartData.set_models)
    chartData()?.set_models(bytes);
    $('models-status').textContent = `Fitted in ${((performance.now() - t0) / 1000).toFixed(1)} s (in the background).`;
    renderMixed();
    renderExplain();
    drawCharts();
    document.body.dataset.models = 'done';
  } catch (err) {
    if (seq !== state.seq) return;
    $('models-status').textContent = `Models not fitted: ${err.message}`;
    document.body.dataset.models = 'error';
  }
}

/** The whole analysis held by the engine for drawing and exports: made once per result from
 * the engine's binary copy of it, and re-made after an engine restart. */
function chartData() {
  if (!state.json || !state.bytes) return null;
  const gen = state.engine.generation ?? 0;
  if (state.charts && state.chartsJson === state.json && state.chartsGen === gen) return state.charts;
  if (state.charts && state.chartsGen === gen) state.charts.free();
  state.charts = null;
  const t0 = performance.now();
  const h = state.engine.call((core) => core.ChartData.from_bytes(state.bytes));
  performance.measure('als:chartdata', { start: t0 });
  if (state.models) h.set_models(state.models);
  state.charts = h;
  state.chartsJson = state.json;
  state.chartsGen = gen;
  return h;
}

/** The page shows a whole result (table and charts): a mark for scripts/bench-page.mjs. */
function markShown() {
  if (document.body.dataset.state === 'ready' && document.body.dataset.charts === 'drawn') performance.mark('als:shown');
}

// ---------- rendering ----------
/** The whole result on the page; `chartsNow`: the charts too, in this task (small results). */
function render(chartsNow = false) {
  // Drawn in this task: the charts' sizes are read first, while the page's layout is still clean
  // (after the new table, reading them would lay out the whole page again: ~25 ms). A scroll bar
  // that the table brings changes their width: the resize observer then draws them again.
  const layout = chartsNow ? chartLayout() : null;
  // Charts wholly below the screen (the page just opened, at its top): drawn after the page is
  // painted, so that the first screen does not wait for them.
  const afterPaint = chartsNow && layout.top > window.innerHeight;
  renderMeasures();
  renderColumns();
  renderDiagnostics();
  renderSummary();
  renderTable();
  renderTests();
  renderMixed();
  renderExplain();
  if (afterPaint) drawChartsAfterPaint();
  else drawCharts(chartsNow, layout);
}

function currentMeasure() {
  return $('measure').value || state.analysis?.measures?.[0] || null;
}

function renderMeasures() {
  const sel = $('measure');
  const want = state.wantMeasure ?? sel.value;
  state.wantMeasure = null;
  const ms = state.analysis.input?.measures_present?.length ? state.analysis.input.measures_present : state.analysis.measures ?? [];
  sel.replaceChildren(...ms.map((m) => el('option', { value: m, text: MEASURE_LABELS[m] ?? m })));
  if (ms.includes(want)) sel.value = want;
}

function renderColumns() {
  const list = $('columns');
  const cols = state.analysis.input?.columns ?? [];
  list.replaceChildren(
    ...cols.map((c) => {
      const roles = ROLES.includes(c.role) ? ROLES : [c.role, ...ROLES];
      const current = c.role === 'ignored' ? 'ignore' : c.role;
      const select = el('select', { 'aria-label': `Role of column ${c.header}`, 'data-header': c.header }, ...roles.map((r) => el('option', { value: r, text: r })));
      select.value = current;
      select.addEventListener('change', () => {
        state.columns[c.header] = select.value;
        scheduleAnalyse(0);
      });
      return el('li', {}, el('span', { class: 'col-header', text: c.header || `(column ${c.index + 1})` }), ' ', select);
    }),
  );
  const info = state.analysis.input;
  if (info) list.append(el('li', { class: 'note', text: `Layout ${info.layout}, ${info.delimiter}-separated, time axis: ${info.time_axis}${info.date_format ? ` (${info.date_format})` : ''}.` }));
}

function selectLine(line) {
  const ta = $('data');
  if (state.held && line > state.held.previewLines) {
    setStatus(`Line ${line} is beyond the ${state.held.previewLines} lines shown; press "Edit all the text here" to see it.`);
    return;
  }
  const text = ta.value;
  let start = 0;
  for (let i = 1; i < line && start !== -1; i++) {
    start = text.indexOf('\n', start);
    if (start !== -1) start += 1;
  }
  if (start === -1) return;
  let end = text.indexOf('\n', start);
  if (end === -1) end = text.length;
  ta.focus();
  ta.setSelectionRange(start, end);
  const lh = parseFloat(getComputedStyle(ta).lineHeight) || 16;
  ta.scrollTop = Math.max(0, (line - 3) * lh);
}

function renderDiagnostics() {
  const diags = state.analysis.diagnostics ?? [];
  const list = $('diagnostics');
  if (!diags.length) {
    list.replaceChildren(el('li', { class: 'note', text: 'No problems found.' }));
    return;
  }
  list.replaceChildren(
    ...diags.map((d) => {
      const label = `${d.line ? `Line ${d.line}: ` : ''}${d.message}`;
      const item = d.line
        ? el('button', { type: 'button', class: `diag ${d.severity}`, 'data-line': d.line, onclick: () => selectLine(d.line), title: 'Select this line in the data' }, label)
        : el('span', { class: `diag ${d.severity}` }, label);
      return el('li', {}, el('span', { class: `sev ${d.severity}`, text: d.severity }), ' ', item);
    }),
  );
}

function patientsOf(measure) {
  return (state.analysis.patients ?? []).filter((p) => !measure || p.measure === measure);
}

function summaryOf(measure, group, variable) {
  return (state.analysis.summaries ?? []).find((s) => s.measure === measure && s.group === group && s.variable === variable);
}

function testSentence(t) {
  if (!t || t.statistic == null) return '';
  const sym = { wilcoxon_signed_rank: 'V', mann_whitney: 'W', paired_t: 't', welch_t: 't', spearman: 'ρ' }[t.kind] ?? '';
  const name = { wilcoxon_signed_rank: 'Wilcoxon signed-rank', mann_whitney: 'Mann-Whitney', paired_t: 'paired t-test', welch_t: 'Welch t-test', spearman: 'Spearman' }[t.kind] ?? t.kind;
  const stat = sym === 'V' || sym === 'W' ? String(t.statistic) : fmt(t.statistic, 3);
  const how = /exact/i.test(t.method) ? 'exact' : /continuity/i.test(t.method) ? 'normal approximation with continuity correction' : t.method;
  return `${name} ${sym} = ${stat}, p = ${fmtP(t.p_value)}, ${how}`;
}

function renderSummary() {
  const a = state.analysis;
  const m = currentMeasure();
  const label = MEASURE_LABELS[m] ?? m;
  const box = $('summary');
  const tests = (a.tests ?? []).filter((t) => t.measure === m);
  const paras = (a.groups ?? []).map((g) => {
    const ps = patientsOf(m).filter((p) => p.group === g);
    const pre = summaryOf(m, g, 'pre_rate');
    const post = summaryOf(m, g, 'post_rate');
    const r = (a.responders ?? []).find((x) => x.measure === m && x.group === g);
    let text = `${g}: ${ps.length} patient${ps.length === 1 ? '' : 's'} (${label}).`;
    if (pre?.n || post?.n) text += ` Median decline ${fmt(pre?.median)} points/month before (n = ${pre?.n ?? 0}) and ${fmt(post?.median)} after the first event (n = ${post?.n ?? 0}).`;
    if (r && r.n_evaluable > 0) {
      const abs = r.threshold_abs != null ? ` and by at least ${r.threshold_abs} points/month` : '';
      text += ` ${r.responders} of ${r.n_evaluable} patients${r.proportion != null ? ` (${(100 * r.proportion).toFixed(0)}%)` : ''} improved by more than ${r.threshold_pct}%${abs}`;
      const w = tests.find((t) => t.kind === 'wilcoxon_signed_rank' && t.group === g);
      text += w?.statistic != null ? `; pre vs post: ${testSentence(w)}.` : '.';
    }
    return el('p', { text });
  });
  for (const t of tests.filter((x) => x.kind === 'mann_whitney' && x.variable === 'change' && x.statistic != null)) {
    paras.push(el('p', { text: `${t.group}, change of rate: ${testSentence(t)}.` }));
  }
  box.replaceChildren(...paras);
}

const COLUMNS = [
  { key: 'id', label: 'Patient', text: true },
  { key: 'group', label: 'Group', text: true },
  { key: 'pre_rate', label: 'Pre rate' },
  { key: 'post_rate', label: 'Post rate' },
  { key: 'change', label: 'Change' },
  { key: 'improvement_pct', label: '% improvement', digits: 1 },
  { key: 'responder', label: 'Responder' },
  { key: 'n_visits', label: 'Visits', digits: 0 },
  { key: 'pre_source', label: 'Pre-rate source', text: true },
  { key: 'warnings', label: 'Warnings', text: true },
];

function cellValue(p, key) {
  if (key === 'warnings') return [...(p.warnings ?? []), ...(p.notes ?? [])].join('; ');
  if (key === 'responder') return p.responder === null || p.responder === undefined ? null : p.responder ? 1 : 0;
  return p[key];
}

function renderTable() {
  const table = $('patients');
  const headRow = table.tHead.rows[0];
  headRow.replaceChildren(
    ...COLUMNS.map((c) => {
      const sorted = state.sort.key === c.key;
      const th = el('th', { scope: 'col', 'aria-sort': sorted ? (state.sort.dir > 0 ? 'ascending' : 'descending') : 'none' });
      th.append(
        el('button', {
          type: 'button',
          class: 'sort',
          'data-key': c.key,
          onclick: () => {
            state.sort = { key: c.key, dir: state.sort.key === c.key ? -state.sort.dir : 1 };
            renderTable();
          },
        }, c.label + (sorted ? (state.sort.dir > 0 ? ' ▲' : ' ▼') : '')),
      );
      return th;
    }),
  );
  let rows = patientsOf(currentMeasure());
  if (state.sort.key) {
    const { key, dir } = state.sort;
    rows = [...rows].sort((a, b) => {
      const x = cellValue(a, key);
      const y = cellValue(b, key);
      if (x === y) return 0;
      if (x === null || x === undefined || x === '') return 1;
      if (y === null || y === undefined || y === '') return -1;
      return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true })) * dir;
    });
  }
  const shown = state.showAll ? rows : rows.slice(0, TABLE_LIMIT);
  const frag = document.createDocumentFragment();
  for (const p of shown) {
    const tr = el('tr', { 'data-id': p.id, class: p.id === state.selected ? 'selected' : null });
    for (const c of COLUMNS) {
      const v = cellValue(p, c.key);
      let td;
      if (c.key === 'id') {
        td = el('th', { scope: 'row' }, el('button', { type: 'button', class: 'link', onclick: () => select(p.id) }, p.id));
      } else if (c.key === 'responder') {
        td = el('td', { text: v === null ? '–' : v ? 'yes' : 'no' });
      } else if (c.text) {
        td = el('td', { text: v ?? '' });
      } else {
        td = el('td', { class: 'num', text: fmt(v, c.digits ?? 2) });
      }
      tr.append(td);
    }
    frag.append(tr);
  }
  table.tBodies[0].replaceChildren(frag);
  $('table-more').hidden = shown.length === rows.length;
  if (shown.length < rows.length) $('show-all').textContent = `Show all ${rows.length} rows (${shown.length} shown)`;
}

function simpleTable(table, columns, rows) {
  table.tHead.replaceChildren(el('tr', {}, ...columns.map((c) => el('th', { scope: 'col', text: c.label }))));
  table.tBodies[0].replaceChildren(...rows.map((r) => el('tr', {}, ...columns.map((c) => el('td', { class: c.num ? 'num' : null, text: c.get(r) })))));
}

function renderTests() {
  const m = currentMeasure();
  const rows = (state.analysis.tests ?? []).filter((t) => !m || t.measure === m);
  simpleTable($('tests'), [
    { label: 'Group', get: (t) => t.group },
    { label: 'Compared', get: (t) => t.variable.replace(/_/g, ' ') },
    { label: 'Test', get: (t) => t.method || t.kind },
    { label: 'n', num: true, get: (t) => String(t.n) },
    { label: 'Statistic', num: true, get: (t) => fmt(t.statistic, 3) },
    { label: 'p', num: true, get: (t) => fmtP(t.p_value) },
    { label: 'Estimate', num: true, get: (t) => fmt(t.estimate, 3) },
    { label: 'Note', get: (t) => t.note ?? '' },
  ], rows);
}

function renderMixed() {
  const m = currentMeasure();
  const models = (state.analysis.mixed_models ?? []).filter((x) => !m || x.measure === m);
  const words = [];
  const worse = m === 'aals'; // higher = worse: a slower decline is a smaller positive slope
  for (const mm of models) {
    const f = Object.fromEntries((mm.fixed ?? []).map((x) => [x.term, x]));
    if (!mm.fixed?.length) {
      words.push(`${mm.group}: not fitted — ${mm.note ?? 'no reason given'}.`);
      continue;
    }
    const ci = (x) => `95% CI ${fmt(x.ci_low)} to ${fmt(x.ci_high)}, p = ${fmtP(x.p_value)}`;
    if (!mm.group.includes(' vs ')) {
      let t = `${mm.group}: before the first event the score changed by ${fmt(f.t?.estimate)} points/month (${f.t ? ci(f.t) : ''})`;
      const ta = f.t_after;
      if (ta) {
        const slowed = worse ? ta.estimate < 0 : ta.estimate > 0;
        t += `; after the first event the decline ${slowed ? 'slowed' : 'quickened'} by ${fmt(Math.abs(ta.estimate))} points/month (${ci(ta)})`;
      }
      words.push(`${t}.${mm.singular ? ' Boundary (singular) fit: the random slope variance is estimated as zero.' : ''}`);
    } else {
      const [a, b] = mm.group.split(' vs ');
      const key = Object.keys(f).find((k) => k.endsWith(':t_after') || k.startsWith('t_after:'));
      if (key) words.push(`${b} compared with ${a}: the change of slope after the first event differs by ${fmt(f[key].estimate)} points/month (${ci(f[key])}).`);
    }
  }
  $('models-words').replaceChildren(...words.map((t) => el('p', { text: t })));
  const rows = [];
  for (const mm of models) {
    if (!mm.fixed?.length) rows.push({ mm, f: null });
    for (const f of mm.fixed ?? []) rows.push({ mm, f });
  }
  simpleTable($('mixed-table'), [
    { label: 'Group', get: (r) => r.mm.group },
    { label: 'Model', get: (r) => `${r.mm.formula} (${r.mm.method}; ${r.mm.n_obs} visits, ${r.mm.n_patients} patients)` },
    { label: 'Term', get: (r) => r.f?.term ?? '' },
    { label: 'Estimate', num: true, get: (r) => fmt(r.f?.estimate, 3) },
    { label: 'SE', num: true, get: (r) => fmt(r.f?.se, 3) },
    { label: 'df', num: true, get: (r) => fmt(r.f?.df, 1) },
    { label: 't', num: true, get: (r) => fmt(r.f?.t_value, 2) },
    { label: 'p', num: true, get: (r) => fmtP(r.f?.p_value) },
    { label: '95% CI', get: (r) => (r.f ? `${fmt(r.f.ci_low, 3)} to ${fmt(r.f.ci_high, 3)}` : '') },
    { label: 'SD intercept / slope / residual', get: (r) => `${fmt(r.mm.sd_intercept)} / ${fmt(r.mm.sd_slope, 3)} / ${fmt(r.mm.sd_residual)}` },
    { label: 'Note', get: (r) => [r.mm.note, r.mm.singular ? 'boundary (singular) fit' : null, r.mm.converged === false ? 'did not converge' : null].filter(Boolean).join('; ') },
  ], rows);
}

function renderExplain() {
  const box = $('explain');
  const head = el('h3', { text: 'Selected patient: the formulas with this patient’s numbers' });
  const m = currentMeasure();
  let p = patientsOf(m).find((x) => x.id === state.selected);
  if (!p) {
    box.replaceChildren(head, el('p', { class: 'note', text: 'Select a patient in the table or click a point in a chart.' }));
    return;
  }
  if (!p.periods?.length) {
    // Large data: the page's copy has no per-period details; the chart handle has them.
    try {
      p = JSON.parse(chartData()?.patient_result(p.id, m) ?? 'null') ?? p;
    } catch {
      // keep the summary fields
    }
  }
  const md = Number($('month_days').value) || 365.25 / 12;
  const best = { alsfrs_r: 48, alsfrs: 40, fvc: 100, aals: 30 }[m] ?? 12;
  const sign = m === 'aals' ? '+' : '−';
  let s = (state.analysis.series ?? []).find((x) => x.id === p.id);
  if (!s) {
    try {
      s = JSON.parse(chartData()?.patient_series(p.id) ?? 'null');
    } catch {
      s = null;
    }
  }
  const visits = (s?.visits ?? []).filter((v) => v.scores?.[m] != null);
  const lines = [];
  lines.push(`Patient ${p.id}, group ${p.group}: ${p.n_visits} visits with ${MEASURE_LABELS[m] ?? m}. Time t is in months = days / ${fmt(md, 4)}.`);
  for (const q of p.periods ?? []) {
    if (q.slope == null) continue;
    lines.push(`Period ${q.index}${q.event ? ` (from ${q.event})` : ' (before the first event)'}: OLS of score on t over ${q.n_visits} visits gives slope ${fmt(q.slope, 3)} points/month${q.slope_ci_low != null ? ` (95% CI ${fmt(q.slope_ci_low, 3)} to ${fmt(q.slope_ci_high, 3)})` : ''}; rate = ${sign}slope = ${fmt(q.rate, 3)}.${q.warning ? ` (${q.warning})` : ''}`);
  }
  if (p.delta_fs != null && s?.onset != null && visits.length) {
    lines.push(`ΔFS = (${best} − first score ${visits[0].scores[m]}) / months from onset to the first visit (${fmt(visits[0].t - s.onset, 2)}) = ${fmt(p.delta_fs, 3)} points/month.`);
  }
  if (p.pre_rate != null) {
    if (p.pre_source === 'onset') lines.push(`Pre-rate from onset = (${best} − score at the last visit on or before the first event) / months since onset = ${fmt(p.pre_rate, 3)} points/month.`);
    else lines.push(`Pre-rate from the lead-in = ${sign}slope of the visits on or before the first event = ${fmt(p.pre_rate, 3)} points/month.`);
  }
  if (p.post_rate != null) lines.push(`Post-rate = ${sign}slope of the visits on or after the first event = ${fmt(p.post_rate, 3)} points/month.`);
  if (p.improvement_pct != null) {
    lines.push(`% improvement = (pre − post) / |pre| × 100 = (${fmt(p.pre_rate, 3)} − ${fmt(p.post_rate, 3)}) / ${fmt(Math.abs(p.pre_rate), 3)} × 100 = ${fmt(p.improvement_pct, 1)}%.`);
    const abs = $('responder_abs').value.trim();
    lines.push(`Responder: ${fmt(p.improvement_pct, 1)}% ${p.improvement_pct > Number($('responder_pct').value) ? '>' : '≤'} ${$('responder_pct').value}%${abs ? ` and change ${fmt(p.change, 3)} vs ${abs} points/month` : ''} → ${p.responder ? 'responder' : 'not a responder'}.`);
  }
  (p.period_improvement_pct ?? []).forEach((v, i) => {
    if (v != null) lines.push(`Period ${i + 1}: (pre − rate) / |pre| × 100 = (${fmt(p.pre_rate, 3)} − ${fmt(p.periods[i + 1]?.rate, 3)}) / ${fmt(Math.abs(p.pre_rate), 3)} × 100 = ${fmt(v, 1)}%.`);
  });
  const d = (state.analysis.d50 ?? []).find((x) => x.id === p.id);
  if (d) {
    lines.push(d.d50 != null
      ? `D50 model: ALSFRS-R(t) = 48 / (1 + exp((t − ${fmt(d.d50, 1)}) / ${fmt(d.dx, 2)})), t in months since onset; RMSE ${fmt(d.rmse, 2)}; phase at the last visit: ${d.phases?.at(-1)?.phase ?? '–'}.`
      : `D50 model not fitted: ${d.note ?? ''}`);
  }
  const notes = [...(p.notes ?? []), ...(p.warnings ?? [])].map((n) => el('li', { text: n }));
  box.replaceChildren(head, ...lines.map((t) => el('p', { text: t })), notes.length ? el('ul', { class: 'warnings' }, ...notes) : null);
}

function select(id) {
  state.selected = id;
  for (const tr of $('patients').tBodies[0].rows) tr.classList.toggle('selected', tr.dataset.id === id);
  renderExplain();
  drawCharts();
}

// ---------- charts ----------
function chartOptions(name, w, h, dpr) {
  return JSON.stringify({ measure: currentMeasure(), selected: state.selected, width: w, height: h, dpr, error_bars: $('error_bars').value, show_models: true });
}

// Charts are drawn in tasks of ~50 ms or one chart (10,000 patients: ~30-60 ms per chart), so the
// page stays responsive in between; a newer request abandons an older one.
// body[data-charts] = pending|drawn.
// `now`: all in this task (a small result, just put on the page: ~100 ms): a pause would cost a
// layout and paint of the half-drawn page (~60 ms) before the other charts. Unless the charts are
// all below the screen: see render() and drawChartsAfterPaint().
let drawTimer = 0;
let drawGeneration = 0;
let drawnWidth = -1; // width of the charts' grid when their sizes were last taken
function drawCharts(now = false, layout = null) {
  document.body.dataset.charts = 'pending';
  if (now) {
    clearTimeout(drawTimer);
    drawTimer = 0;
    drawAll(false, layout);
  } else if (!drawTimer) drawTimer = setTimeout(drawAll, 0);
}

/** The charts' sizes, the width of their grid and its top in the viewport (reads layout). */
function chartLayout() {
  return { sizes: new Map(CHARTS.map((name) => [name, chartSize(name)])), width: contentWidth($('charts')), top: $('charts').getBoundingClientRect().top };
}

/** drawCharts once the page has been painted (the next frame, then a task of its own). */
function drawChartsAfterPaint() {
  document.body.dataset.charts = 'pending';
  clearTimeout(drawTimer);
  drawTimer = -1; // a drawCharts() before then waits for this one
  requestAnimationFrame(() => setTimeout(() => {
    if (drawTimer === -1) drawAll(true);
  }, 0));
}

async function drawAll(sliced = true, layout = null) {
  drawTimer = 0;
  const generation = ++drawGeneration;
  if (!state.json) return;
  // Reading the analysis into the engine is a task of its own when it is long.
  const t0 = performance.now();
  try {
    chartData();
  } catch {
    // drawChart reports it per chart
  }
  if (performance.now() - t0 > 50) await new Promise((r) => setTimeout(r, 0));
  if (generation !== drawGeneration) return;
  // Sizes first (one layout), then the charts, as many per task as fit in ~50 ms: small data
  // draws in one go, large data one chart per task so that the page keeps answering.
  const { sizes, width } = layout ?? chartLayout();
  drawnWidth = width;
  let slice = performance.now();
  for (const name of CHARTS) {
    if (generation !== drawGeneration) return;
    drawChart(name, sizes.get(name));
    if (sliced && performance.now() - slice > 50) {
      await new Promise((r) => setTimeout(r, 0));
      slice = performance.now();
    }
  }
  if (generation !== drawGeneration) return;
  document.body.dataset.charts = 'drawn';
  markShown();
  // The worker starts (see Engine.ensureWorker) once these charts are on screen, not before.
  requestAnimationFrame(() => setTimeout(() => state.engine.warm(), 0));
  const next = state.afterCharts;
  state.afterCharts = null;
  next?.();
}

/** Width of an element's content box, as a ResizeObserver reports it (rounded). */
function contentWidth(el) {
  const cs = getComputedStyle(el);
  const px = (v) => parseFloat(v) || 0;
  return Math.round(el.getBoundingClientRect().width - px(cs.paddingLeft) - px(cs.paddingRight) - px(cs.borderLeftWidth) - px(cs.borderRightWidth));
}

/** CSS width and height of a chart's canvas (reads layout). */
function chartSize(name) {
  const w = Math.max(200, Math.round($(`chart-${name}`).clientWidth || 480));
  return { w, h: Math.round(w * 0.62) };
}

function drawChart(name, size = chartSize(name)) {
  const canvas = $(`chart-${name}`);
  const { w, h } = size;
  const dpr = window.devicePixelRatio || 1;
  canvas.style.height = `${h}px`;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
  const t0 = performance.now();
  try {
    const data = chartData();
    const out = readDrawn(state.engine.call(() => data.draw(canvas, name, chartOptions(name, w, h, dpr))));
    state.hits[name] = out.hits;
    if (out.description) $(`cap-${name}`).textContent = out.description;
    canvas.dataset.drawn = '1';
    performance.measure(`als:chart:${name}`, { start: t0 });
  } catch (err) {
    state.hits[name] = NO_HITS;
    $(`cap-${name}`).textContent = `Chart not available: ${err.message}`;
    if (err.kind === 'panic') showBanner(`The chart engine hit an internal error and was restarted. Details: ${err.message}`);
  }
}

const NO_HITS = { ids: [], which: new Uint32Array(0), xy: new Float64Array(0) };

/** A drawn chart's description and hit targets (see `Drawn` in src/web.rs), the handle freed. */
function readDrawn(d) {
  try {
    const description = d.description();
    const all = d.ids();
    const lengths = d.id_lengths();
    const ids = new Array(lengths.length);
    for (let i = 0, at = 0; i < lengths.length; at += lengths[i], i++) ids[i] = all.slice(at, at + lengths[i]);
    return { description, hits: { ids, which: d.which(), xy: d.xy() } };
  } finally {
    d.free();
  }
}

function onCanvasClick(name, event) {
  const canvas = event.currentTarget;
  const r = canvas.getBoundingClientRect();
  const x = event.clientX - r.left;
  const y = event.clientY - r.top;
  const { ids, which, xy } = state.hits[name] ?? NO_HITS;
  let best = -1;
  let bestD = 24 * 24;
  for (let i = 0; i < which.length; i++) {
    const d = (xy[2 * i] - x) ** 2 + (xy[2 * i + 1] - y) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  if (best >= 0) select(ids[which[best]]);
}

function exportPng(name) {
  $(`chart-${name}`).toBlob((blob) => blob && download(`${name}.png`, blob), 'image/png');
}

/** fn(handle) on a chart handle that has the exports (the extras module's; see Engine.withExtras). */
function withExports(fn) {
  return state.engine.withExtras(state.bytes, state.models, chartData, fn);
}

async function exportSvg(name) {
  const canvas = $(`chart-${name}`);
  const w = Math.round(canvas.clientWidth || 640);
  const h = Math.round(w * 0.62);
  try {
    const svg = await withExports((data) => data.svg(name, chartOptions(name, w, h, 1)));
    download(`${name}.svg`, new Blob([svg], { type: 'image/svg+xml' }));
  } catch (err) {
    showBanner(`SVG export failed: ${err.message}`, 'warn');
  }
}

// ---------- files ----------
async function loadXlsxModule() {
  if (globalThis.ALS_BUNDLE && !globalThis.ALS_BUNDLE.has('pkg/xlsx/als_xlsx.js')) {
    throw new Error('This single-file version cannot read .xlsx files. Save the sheet as CSV, or use the full page.');
  }
  if (!state.xlsx) {
    const [glue, { wasmBytes }] = await Promise.all([import('./pkg/xlsx/als_xlsx.js'), import('./pkg/xlsx/als_xlsx_wasm.js')]);
    await glue.default({ module_or_path: await WebAssembly.compile(await wasmBytes()) });
    state.xlsx = glue;
  }
  return state.xlsx;
}

async function openFile(file) {
  if (!file) return;
  try {
    let text;
    if (/\.xlsx$/i.test(file.name)) {
      setStatus(`Reading ${file.name}…`);
      const mod = await loadXlsxModule();
      text = mod.xlsx_to_text(new Uint8Array(await file.arrayBuffer()));
    } else if (file.size > MAX_TEXT_BYTES) {
      holdOversized(await file.text(), file.name);
      return;
    } else {
      text = await file.text();
    }
    if (text.length > MAX_TEXT_BYTES) {
      holdOversized(text, `${file.name}.tsv`);
      return;
    }
    setDataText(text);
    clearHash();
    state.columns = {};
    state.selected = null;
    analyse();
  } catch (err) {
    showBanner(`Could not read ${file.name}: ${err.message ?? err}`, 'warn');
  }
}

// Text larger than the page analyses is never put into the paste area: Chromium needs tens of
// seconds to lay out a 50 MB <textarea>, during which the tab is frozen. The text is kept in
// memory instead (nothing is lost) and offered as a file for the command-line tool.
function holdOversized(text, name = 'pasted-data.txt') {
  state.seq++; // abandon any analysis in flight
  state.oversized = { text, name };
  const mb = (n) => (n / 1024 / 1024).toFixed(1);
  document.body.dataset.state = 'too-large';
  showBanner(
    `This data is ${mb(text.length)} MB; the page analyses up to ${mb(MAX_TEXT_BYTES)} MB (about 350,000 visit rows). It was not put into the paste area, which would freeze this tab, and nothing was analysed; the paste area keeps what it had. Save the data as a file and use the command-line tool: als-progression analyze FILE --format csv`,
    'warn',
    { label: 'Save the data as a file', onclick: () => download(name, new Blob([text], { type: 'text/plain' })) },
  );
  setStatus('Data too large for the page: nothing was analysed.');
}

function clearHash() {
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
}

// ---------- examples, sharing, embedding ----------
function loadExample(name) {
  try {
    const text = state.engine.call((core) => core.example_text(name));
    setDataText(text);
    state.columns = {};
    state.selected = null;
    // A new data set: its own measures (the first present until the user picks one).
    $('measure').replaceChildren();
    state.wantMeasure = null;
    history.replaceState(null, '', `${location.pathname}${location.search}#example=${encodeURIComponent(name)}`);
    $('examples-menu').open = false;
    analyse();
  } catch (err) {
    showBanner(`Example ${name}: ${err.message}`, 'warn');
  }
}

function renderExamples() {
  let list = [];
  try {
    list = JSON.parse(state.engine.call((core) => core.examples()));
  } catch {
    /* no examples */
  }
  $('examples-list').replaceChildren(
    ...list.map((ex) => el('li', {}, el('button', { type: 'button', 'data-example': ex.name, onclick: () => loadExample(ex.name) }, el('strong', { text: ex.title ?? ex.name }), el('span', { class: 'note', text: ex.description ? ` — ${ex.description}` : '' })))),
  );
}

async function shareLink({ embedView = false } = {}) {
  const encoded = await encodeState(fullState());
  const url = new URL(location.href);
  url.search = embedView ? '?embed=1' : '';
  url.hash = `data=${encoded}`;
  return { url: url.href, bytes: encoded.length };
}

async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

async function onShare() {
  const { url, bytes } = await shareLink();
  history.replaceState(null, '', url);
  const note = $('share-note');
  const copied = await copyText(url);
  note.textContent = `${copied ? 'Link copied' : 'Link is in the address bar'} (${(bytes / 1024).toFixed(1)} KB).${bytes > URL_WARN_BYTES ? ' Warning: links over about 32 KB may be cut off by mail programs and some browsers; export a file instead.' : ''} The data is inside the link: share it only as you would share the data.`;
  note.hidden = false;
}

async function onEmbed() {
  const { url, bytes } = await shareLink({ embedView: true });
  const code = `<iframe src="${url.replace(/"/g, '&quot;')}" title="ALS progression results" width="900" height="700" style="border:0"></iframe>`;
  const box = $('embed-code');
  box.value = code;
  box.hidden = false;
  const copied = await copyText(code);
  box.select();
  setStatus(`${copied ? 'Embed code copied' : 'Embed code selected: copy it with Ctrl+C'}${bytes > URL_WARN_BYTES ? ' (warning: the embedded data makes a very long link)' : ''}.`);
}

// ---------- start ----------
function wire() {
  const ta = $('data');
  ta.addEventListener('paste', (e) => {
    const t = e.clipboardData?.getData('text/plain') ?? '';
    if (t.length > MAX_TEXT_BYTES) {
      e.preventDefault();
      holdOversized(t);
    } else if (state.held || ta.value.length - (ta.selectionEnd - ta.selectionStart) + t.length > HOLD_BYTES) {
      // Large data: put in place by the page, not laid out in the box. A paste over a preview
      // replaces the held data; otherwise it goes where the browser would have put it.
      e.preventDefault();
      const v = ta.value;
      const text = state.held ? t : v.slice(0, ta.selectionStart) + t + v.slice(ta.selectionEnd);
      setDataText(text);
      clearHash();
      scheduleAnalyse(0);
    }
  });
  $('held-edit').addEventListener('click', () => {
    if (state.held) showWhole(state.held.text);
  });
  $('held-save').addEventListener('click', () => {
    if (state.held) download('data.txt', new Blob([state.held.text], { type: 'text/plain' }));
  });
  ta.addEventListener('input', () => {
    state.oversized = null;
    clearHash();
    scheduleAnalyse(500);
  });
  ta.addEventListener('dragover', (e) => {
    e.preventDefault();
    ta.classList.add('drop');
  });
  ta.addEventListener('dragleave', () => ta.classList.remove('drop'));
  ta.addEventListener('drop', (e) => {
    e.preventDefault();
    ta.classList.remove('drop');
    const file = e.dataTransfer?.files?.[0];
    if (file) openFile(file);
  });
  $('file').addEventListener('change', (e) => openFile(e.target.files?.[0]));
  $('analyze-btn').addEventListener('click', () => analyse());
  $('share-btn').addEventListener('click', () => onShare().catch((e) => showBanner(e.message, 'warn')));
  $('embed-btn').addEventListener('click', () => onEmbed().catch((e) => showBanner(e.message, 'warn')));
  $('clear-btn').addEventListener('click', () => {
    clearSession();
    clearHash();
    setDataText('');
    state.analysis = null;
    state.json = '';
    state.bytes = null;
    setStatus('Saved data cleared.');
  });
  $('settings').addEventListener('submit', (e) => e.preventDefault());
  for (const id of ['month_days', 'pre_source', 'responder_pct', 'responder_abs', 'time_origin']) $(id).addEventListener('change', () => scheduleAnalyse(0));
  $('measure').addEventListener('change', () => {
    persist();
    scheduleAnalyse(0);
  });
  $('error_bars').addEventListener('change', () => {
    persist();
    drawCharts();
  });
  $('fit-models').addEventListener('click', onFitModels);
  $('show-all').addEventListener('click', () => {
    state.showAll = true;
    renderTable();
  });
  $('export-csv').addEventListener('click', async () => {
    if (!state.json) return;
    try {
      const csv = await withExports((data) => data.csv());
      download('als-progression-results.csv', new Blob([csv], { type: 'text/csv' }));
    } catch (err) {
      showBanner(`CSV export failed: ${err.message}`, 'warn');
    }
  });
  $('export-json').addEventListener('click', async () => {
    if (!state.json) return;
    // The same JSON as the CLI (with --include-series), with the model fits of the second pass.
    let json;
    try {
      json = await withExports((data) => data.json());
    } catch (err) {
      return showBanner(`JSON export failed: ${err.message}`, 'warn');
    }
    download('als-progression-results.json', new Blob([json], { type: 'application/json' }));
  });
  for (const name of CHARTS) {
    const c = $(`chart-${name}`);
    c.addEventListener('click', (e) => onCanvasClick(name, e));
  }
  document.addEventListener('click', (e) => {
    const t = e.target.closest?.('[data-png],[data-svg]');
    if (!t || !state.json) return;
    if (t.dataset.png) exportPng(t.dataset.png);
    else exportSvg(t.dataset.svg);
  });
  // Redraw when the charts' width changes; not for the first observation, nor when the charts
  // already have this width (a draw under way takes the sizes itself).
  new ResizeObserver((entries) => {
    const w = Math.round(entries[0].contentRect.width);
    if (state.json && drawnWidth >= 0 && w !== drawnWidth) drawCharts();
  }).observe($('charts'));
  matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`).addEventListener?.('change', () => drawCharts());
  window.addEventListener('hashchange', () => startFromLocation());
}

async function startFromLocation() {
  const { example, data } = readHash();
  const saved = loadSession();
  if (data) {
    try {
      const st = await decodeState(data);
      applySettings(st.settings);
      setDataText(st.text);
    } catch (err) {
      showBanner(`The data in this link could not be read: ${err.message}`, 'warn');
    }
    return analyse();
  }
  if (saved) applySettings(saved.settings);
  if (example) return loadExample(example);
  if (saved?.text) {
    setDataText(saved.text);
    return analyse();
  }
  setStatus('Paste data, open a file, or choose an example.');
}

async function main() {
  if (embed) document.body.classList.add('embed');
  wire();
  try {
    await state.engine.start((mode) => {
      document.body.dataset.engine = mode;
    });
  } catch (err) {
    showBanner(`The analysis engine could not be loaded: ${err.message}`);
    setStatus('Engine not loaded.');
    return;
  }
  renderExamples();
  await startFromLocation();
  // Nothing to analyse and draw: the page is idle now (else once the charts are drawn).
  const { state: now, charts } = document.body.dataset;
  if (!['pending', 'busy', 'showing'].includes(now) && charts !== 'pending') state.engine.warm();
}

// Test hooks (used by tests/e2e and scripts/bench-page.mjs).
window.alsAnalysis = () => state.analysis;
window.alsAnalysisJsonLength = () => state.json.length;
window.alsOversizedLength = () => state.oversized?.text.length ?? 0;
window.alsHits = (name) => {
  const { ids, which, xy } = state.hits[name] ?? NO_HITS;
  return Array.from(which, (k, i) => ({ id: ids[k], x: xy[2 * i], y: xy[2 * i + 1] }));
};
// The next analysis asks the engine to panic on purpose.
window.alsDebugPanic = () => {
  state.debugPanic = true;
  return analyse();
};

// A panic on the main thread (where charts are drawn): the module is re-instantiated.
window.alsDebugPanicMainThread = () => {
  try {
    state.engine.call((core) => core.analyze('x', '{"debug_panic":true}'));
    return { kind: 'none' };
  } catch (err) {
    if (err.kind === 'panic') showBanner(`The engine hit an internal error and was restarted; your data and settings are kept. Details: ${err.message}`);
    const after = JSON.parse(state.engine.call((core) => core.examples())).length;
    return { kind: err.kind, message: err.message, after };
  }
};

main();
