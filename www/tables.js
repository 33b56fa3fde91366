// The result's tables: the patients (sorted as chosen; the first rows until "Show all") and the
// tests. Numbers are formatted by the engine (vocab.js).
import { $, el } from './dom.js';
import { state } from './state.js';
import * as vocab from './vocab.js';

// Rows of the patient table shown at first (sorted as chosen); "Show all" adds the rest. Each row
// is ~13 elements to style and lay out: 300 rows cost ~100 ms of layout after a large paste.
const TABLE_LIMIT = 100;

// `unit`: the header carries the measure's rate unit.
const COLUMNS = [
  { key: 'id', label: 'Patient', text: true },
  { key: 'group', label: 'Group', text: true },
  { key: 'pre_rate', label: 'Rate before treatment', unit: true },
  { key: 'post_rate', label: 'Rate after treatment', unit: true },
  { key: 'change', label: 'Change', unit: true },
  { key: 'improvement_pct', label: '% improvement', digits: 1 },
  { key: 'responder', label: 'Responder' },
  { key: 'n_visits', label: 'Visits', digits: 0 },
  { key: 'pre_source', label: 'Pre-rate source', text: true },
  { key: 'warnings', label: 'Warnings', text: true },
];
// Natural history (no patient of the measure has an event): the whole-course rate instead of
// the before/after columns (the engine's `course_rate`, with its 95% CI).
const COURSE_COLUMNS = [
  COLUMNS[0],
  COLUMNS[1],
  { key: 'course_rate', label: 'Rate over the whole course', unit: true },
  { key: 'course_rate_ci_low', label: '95% CI from', unit: true },
  { key: 'course_rate_ci_high', label: '95% CI to', unit: true },
  COLUMNS[7],
  COLUMNS[9],
];
// The latest King's and MiToS stages (#23: the engine's `latest_kings`, `latest_mitos`, at the last
// visit with items or a dated death after it), with the rules that fired as the cell's title;
// only when the data has ALSFRS-R items. Sorted by King's, then MiToS.
const STAGE_COLUMN = { key: 'latest_stage', label: 'Latest stage', text: true };
const hasStages = (ps) => ps.some((p) => p.latest_kings_reason != null);
const withStages = (cols) => [...cols.slice(0, -1), STAGE_COLUMN, cols[cols.length - 1]];
const stageText = (p) => (p.latest_kings_reason == null ? null : `King's ${p.latest_kings ?? '–'} · MiToS ${p.latest_mitos ?? '–'}`);
const stageTitle = (p) => (p.latest_kings_reason == null ? null : `King's: ${p.latest_kings_reason}\nMiToS: ${p.latest_mitos_reason}`);
const numeric = (cols) => cols.filter((c) => !c.text && c.key !== 'responder');
/** No patient of the measure has an event: natural history (the whole-course rate is shown). */
const naturalHistory = (ps) => ps.length > 0 && ps.every((p) => p.first_event == null) && ps.some((p) => p.course_rate != null);

function cellValue(p, key) {
  if (key === 'warnings') return [p.lost_data ? 'data lost: see the diagnostics' : null, ...(p.warnings ?? []), ...(p.notes ?? [])].filter(Boolean).join('; ');
  if (key === 'responder') return p.responder === null || p.responder === undefined ? null : p.responder ? 1 : 0;
  if (key === 'latest_stage') return stageText(p);
  return p[key];
}

function byKey(key, dir) {
  return (a, b) => {
    const x = cellValue(a, key);
    const y = cellValue(b, key);
    if (x === y) return 0;
    if (x === null || x === undefined || x === '') return 1;
    if (y === null || y === undefined || y === '') return -1;
    return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), undefined, { numeric: true })) * dir;
  };
}

/** `rows` in `table`, a column per `columns` entry: { label, num (right-aligned), get(row) → text }. */
export function simpleTable(table, columns, rows) {
  table.tHead.replaceChildren(el('tr', {}, ...columns.map((c) => el('th', { scope: 'col', text: c.label }))));
  table.tBodies[0].replaceChildren(...rows.map((r) => el('tr', {}, ...columns.map((c) => el('td', { class: c.num ? 'num' : null, text: c.get(r) })))));
}

/** `result`: the result holder; `measure()`: the measure shown; `onSelect(id)`: a patient was chosen. */
export function createTables({ result, measure, onSelect }) {
  /** The patient table; `report`: all rows into `table`, headers without sort buttons. */
  function renderPatients(table = $('patients'), report = false) {
    const m = measure();
    const per = vocab.rateUnit(m);
    let rows = result.patients(m);
    const course = naturalHistory(rows);
    const columns = hasStages(rows) ? withStages(course ? COURSE_COLUMNS : COLUMNS) : course ? COURSE_COLUMNS : COLUMNS;
    table.caption.textContent = `Patients: ${vocab.measure(m).label}, decline rates (${per}) ${course ? 'over the whole course (no events: natural history)' : 'before and after treatment'}`;
    table.tHead.rows[0].replaceChildren(
      ...columns.map((c) => {
        const sorted = state.sort.key === c.key;
        const label = c.unit ? `${c.label} (${per})` : c.label;
        if (report) return el('th', { scope: 'col', text: label });
        const th = el('th', { scope: 'col', 'aria-sort': sorted ? (state.sort.dir > 0 ? 'ascending' : 'descending') : 'none' });
        const onclick = () => {
          state.sort = { key: c.key, dir: state.sort.key === c.key ? -state.sort.dir : 1 };
          renderPatients();
          // the header is drawn again: the focus stays on this column's button
          table.querySelector(`button[data-key="${c.key}"]`).focus();
        };
        th.append(el('button', { type: 'button', class: 'sort', 'data-key': c.key, onclick }, label + (sorted ? (state.sort.dir > 0 ? ' ▲' : ' ▼') : '')));
        return th;
      }),
    );
    if (state.sort.key && columns.some((c) => c.key === state.sort.key)) rows = [...rows].sort(byKey(state.sort.key, state.sort.dir));
    const shown = state.showAll || report ? rows : rows.slice(0, TABLE_LIMIT);
    // Each numeric column formatted by the engine in one call.
    const numbers = new Map(numeric(columns).map((c) => [c.key, vocab.nums(shown.map((p) => cellValue(p, c.key)), c.digits ?? 2)]));
    const frag = document.createDocumentFragment();
    shown.forEach((p, i) => {
      const tr = el('tr', { 'data-id': p.id, class: p.id === state.selected ? 'selected' : null });
      for (const c of columns) {
        let td;
        if (c.key === 'id') {
          td = el('th', { scope: 'row' }, report ? p.id : el('button', { type: 'button', class: 'link', onclick: () => onSelect(p.id) }, p.id));
        } else if (c.key === 'responder') {
          const v = cellValue(p, c.key);
          td = el('td', { text: v === null ? '–' : v ? 'yes' : 'no' });
        } else if (c.key === 'latest_stage') {
          td = el('td', { text: cellValue(p, c.key) ?? '', title: stageTitle(p) });
        } else if (c.text) {
          td = el('td', { text: cellValue(p, c.key) ?? '' });
        } else {
          // an improvement from a pre-rate too small to trust is marked (the engine's flag)
          td = el('td', { class: 'num', text: numbers.get(c.key)[i] + (c.key === 'improvement_pct' && p.improvement_unreliable ? ' (unreliable)' : '') });
        }
        tr.append(td);
      }
      frag.append(tr);
    });
    table.tBodies[0].replaceChildren(frag);
    if (report) return;
    $('table-more').hidden = shown.length === rows.length;
    if (shown.length < rows.length) $('show-all').textContent = `Show all ${rows.length} rows (${shown.length} shown)`;
  }

  function renderTests() {
    const m = measure();
    const rows = (result.analysis().tests ?? []).filter((t) => !m || t.measure === m);
    const table = $('tests');
    simpleTable(table, [
      { label: 'Group', get: (t) => t.group },
      { label: 'Compared', get: (t) => t.variable.replace(/_/g, ' ') },
      // the engine's plain-language name; R's method string below it
      { label: 'Test', get: (t) => t.title },
      { label: 'n', num: true, get: (t) => String(t.n) },
      // whole and half numbers (W, V) as they are, as the engine writes them
      { label: 'Statistic', num: true, get: (t) => vocab.num(t.statistic, Number.isInteger(t.statistic) ? 0 : Number.isInteger(2 * t.statistic) ? 1 : 3) },
      { label: 'p', num: true, get: (t) => vocab.pValue(t.p_value) },
      { label: 'Estimate', num: true, get: (t) => vocab.num(t.estimate, 3) },
      { label: 'Direction', get: (t) => t.direction ?? '' },
      // the low-power note; the engine's `note` as its text report shows it (why a test was not
      // computed), and why Kruskal-Wallis replaces the pairwise tests. A computed test's note is
      // for the JSON (Spearman's S in full precision; the ties, which `method` says already).
      { label: 'Note', get: (t) => [t.power_note, t.statistic == null || t.kind === 'kruskal_wallis' ? t.note : null].filter(Boolean).join('; ') },
    ], rows);
    rows.forEach((t, i) => table.tBodies[0].rows[i].cells[2].append(el('br'), el('small', { class: 'note', text: t.method })));
  }

  /** The selected patient's row marked (without drawing the table again). */
  function markSelected(id) {
    for (const tr of $('patients').tBodies[0].rows) tr.classList.toggle('selected', tr.dataset.id === id);
  }

  /** The patient table with all its rows, without sort buttons (the report's). */
  function patientTable() {
    const t = el('table', {}, el('caption'), el('thead', {}, el('tr')), el('tbody'));
    renderPatients(t, true);
    return t;
  }

  return { renderPatients, renderTests, markSelected, patientTable };
}
