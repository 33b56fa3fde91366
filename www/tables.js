// The result's tables: the patients (sorted as chosen; the first rows until "Show all") and the
// tests. Numbers are formatted by the engine (vocab.js).
import { $, el } from './dom.js';
import { state } from './state.js';
import * as vocab from './vocab.js';

// Rows of the patient table shown at first (sorted as chosen); "Show all" adds the rest. Each row
// is ~13 elements to style and lay out: 300 rows cost ~100 ms of layout after a large paste.
const TABLE_LIMIT = 100;

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
const NUMERIC = COLUMNS.filter((c) => !c.text && c.key !== 'responder');

function cellValue(p, key) {
  if (key === 'warnings') return [...(p.warnings ?? []), ...(p.notes ?? [])].join('; ');
  if (key === 'responder') return p.responder === null || p.responder === undefined ? null : p.responder ? 1 : 0;
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
  function renderPatients() {
    const table = $('patients');
    table.tHead.rows[0].replaceChildren(
      ...COLUMNS.map((c) => {
        const sorted = state.sort.key === c.key;
        const th = el('th', { scope: 'col', 'aria-sort': sorted ? (state.sort.dir > 0 ? 'ascending' : 'descending') : 'none' });
        const onclick = () => {
          state.sort = { key: c.key, dir: state.sort.key === c.key ? -state.sort.dir : 1 };
          renderPatients();
        };
        th.append(el('button', { type: 'button', class: 'sort', 'data-key': c.key, onclick }, c.label + (sorted ? (state.sort.dir > 0 ? ' ▲' : ' ▼') : '')));
        return th;
      }),
    );
    let rows = result.patients(measure());
    if (state.sort.key) rows = [...rows].sort(byKey(state.sort.key, state.sort.dir));
    const shown = state.showAll ? rows : rows.slice(0, TABLE_LIMIT);
    // Each numeric column formatted by the engine in one call.
    const numbers = new Map(NUMERIC.map((c) => [c.key, vocab.nums(shown.map((p) => cellValue(p, c.key)), c.digits ?? 2)]));
    const frag = document.createDocumentFragment();
    shown.forEach((p, i) => {
      const tr = el('tr', { 'data-id': p.id, class: p.id === state.selected ? 'selected' : null });
      for (const c of COLUMNS) {
        let td;
        if (c.key === 'id') {
          td = el('th', { scope: 'row' }, el('button', { type: 'button', class: 'link', onclick: () => onSelect(p.id) }, p.id));
        } else if (c.key === 'responder') {
          const v = cellValue(p, c.key);
          td = el('td', { text: v === null ? '–' : v ? 'yes' : 'no' });
        } else if (c.text) {
          td = el('td', { text: cellValue(p, c.key) ?? '' });
        } else {
          td = el('td', { class: 'num', text: numbers.get(c.key)[i] });
        }
        tr.append(td);
      }
      frag.append(tr);
    });
    table.tBodies[0].replaceChildren(frag);
    $('table-more').hidden = shown.length === rows.length;
    if (shown.length < rows.length) $('show-all').textContent = `Show all ${rows.length} rows (${shown.length} shown)`;
  }

  function renderTests() {
    const m = measure();
    const rows = (result.analysis().tests ?? []).filter((t) => !m || t.measure === m);
    simpleTable($('tests'), [
      { label: 'Group', get: (t) => t.group },
      { label: 'Compared', get: (t) => t.variable.replace(/_/g, ' ') },
      { label: 'Test', get: (t) => t.method || t.kind },
      { label: 'n', num: true, get: (t) => String(t.n) },
      { label: 'Statistic', num: true, get: (t) => vocab.num(t.statistic, 3) },
      { label: 'p', num: true, get: (t) => vocab.pValue(t.p_value) },
      { label: 'Estimate', num: true, get: (t) => vocab.num(t.estimate, 3) },
      { label: 'Note', get: (t) => t.note ?? '' },
    ], rows);
  }

  /** The selected patient's row marked (without drawing the table again). */
  function markSelected(id) {
    for (const tr of $('patients').tBodies[0].rows) tr.classList.toggle('selected', tr.dataset.id === id);
  }

  return { renderPatients, renderTests, markSelected };
}
