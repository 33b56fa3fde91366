// The settings form: the settings an analysis is asked for, what the view shows (measure, error
// bars) and whether the model fits are wanted, and putting saved or shared settings back. Also
// the two lists of the form that a result fills in: the measures the data has, and the roles of
// its columns (a role corrected here is sent with the next analysis).
import { $, el } from './dom.js';
import { state } from './state.js';
import * as vocab from './vocab.js';

/** The settings of the next analysis (JSON of `Settings`; a key left out takes the engine's default). */
export function readSettings() {
  const num = (id) => {
    const v = $(id).value.trim();
    return v === '' ? undefined : Number(v);
  };
  const measure = chosenMeasure();
  return {
    month_days: num('month_days'),
    pre_source: $('pre_source').value,
    responder_pct: num('responder_pct'),
    responder_abs: num('responder_abs') ?? null,
    time_origin: $('time_origin').value,
    group_by: $('group_by').value,
    delta_fs_cutoffs: $('delta_fs_cutoffs').value,
    columns: state.columns,
    sheet: state.sheet ?? undefined,
    header_row: state.headerRow ?? undefined,
    // One measure at a time (the one shown); the first present until the user picks one.
    measures: measure ? [measure] : [],
    first_measure_only: true,
    include_series: true,
    // The table and charts come first; mixed models and D50 fits follow in a second pass.
    mixed_models: false,
    d50: false,
  };
}

function chosenMeasure() {
  return $('measure').value || state.wantMeasure || null;
}

/** What the view shows, kept with the settings in the session and in links. */
export function viewSettings() {
  return { measure: $('measure').value || null, error_bars: $('error_bars').value, fit_models: state.wantModels || undefined };
}

/** Saved or shared settings (readSettings and viewSettings) back into the form. */
export function applySettings(s = {}) {
  if (s.month_days != null) $('month_days').value = s.month_days;
  if (s.pre_source) $('pre_source').value = s.pre_source;
  if (s.responder_pct != null) $('responder_pct').value = s.responder_pct;
  $('responder_abs').value = s.responder_abs ?? '';
  if (s.time_origin) $('time_origin').value = s.time_origin;
  if (s.group_by) $('group_by').value = s.group_by;
  if (typeof s.delta_fs_cutoffs === 'string') $('delta_fs_cutoffs').value = s.delta_fs_cutoffs;
  if (s.error_bars) $('error_bars').value = s.error_bars;
  if (s.measure) state.wantMeasure = s.measure;
  if (s.fit_models === true) state.wantModels = true;
  state.columns = s.columns && typeof s.columns === 'object' ? { ...s.columns } : {};
  state.sheet = typeof s.sheet === 'string' ? s.sheet : null;
  state.headerRow = Number.isInteger(s.header_row) ? s.header_row : null;
}

/** New data: its own measures (the first present until the user picks one) and column roles. */
export function forgetData() {
  state.columns = {};
  state.sheet = null;
  state.headerRow = null;
  $('measure').replaceChildren();
  state.wantMeasure = null;
}

/** The measure shown: the one chosen, else the analysis' first. */
export function currentMeasure(analysis) {
  return $('measure').value || analysis?.measures?.[0] || null;
}

export function errorBars() {
  return $('error_bars').value;
}

/** The measure select: the measures the data has. */
export function renderMeasures(analysis) {
  const sel = $('measure');
  const want = state.wantMeasure ?? sel.value;
  state.wantMeasure = null;
  const ms = analysis.input?.measures_present?.length ? analysis.input.measures_present : analysis.measures ?? [];
  sel.replaceChildren(...ms.map((m) => el('option', { value: m, text: vocab.measure(m).label })));
  if (ms.includes(want)) sel.value = want;
}

/** The columns as read, each with a select of its role; `onChange()` when the user corrects one. */
export function renderColumns(analysis, onChange) {
  const list = $('columns');
  const roles = vocab.columnRoles();
  const cols = analysis.input?.columns ?? [];
  list.replaceChildren(
    ...cols.map((c) => {
      const known = roles.find((r) => r.role === c.role);
      const values = roles.map((r) => r.value);
      if (!known) values.unshift(c.role);
      const select = el('select', { 'aria-label': `Role of column ${c.header}`, 'data-header': c.header }, ...values.map((v) => el('option', { value: v, text: v })));
      select.value = known?.value ?? c.role;
      select.addEventListener('change', () => {
        state.columns[c.header] = select.value;
        onChange();
      });
      return el('li', {}, el('span', { class: 'col-header', text: c.header || `(column ${c.index + 1})` }), ' ', select);
    }),
  );
  const info = analysis.input;
  if (info) list.append(el('li', { class: 'note', text: `Layout ${info.layout}, ${info.delimiter}-separated, time axis: ${info.time_axis}${info.date_format ? ` (${info.date_format})` : ''}.` }));
}
