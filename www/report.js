// The report, loaded the first time it is asked for (main.js gives it the page's parts): the
// result shown as a document to print or save as PDF, in place of the page until "Back to the
// page" (or Escape): titled and dated, the data's source (its file's name, rows, patients), the
// settings the analysis used, the summary, every patient's row, the tests, the models (when
// fitted) and the six charts drawn at their printed size (two to a row, 88 mm wide, text at
// 9 pt), on 2–4 A4 pages for the examples (tests/e2e/report.test.mjs renders it to PDF).
// Its style comes with it (a constructed style sheet: the page's CSP allows no <style>, and its
// start does not carry what only the report needs). It imports only dom.js (see exporter.js).
import { $, el } from './dom.js';

const CHART_MM = 88;
const CSS_DPI = 96;
const CSS = `
body.reporting > :not(#report) { display: none !important; }
.report { max-width: 190mm; margin: 0 auto; padding: 0 0 2rem; font-size: 10pt; }
.report .bar { position: sticky; top: 0; display: flex; gap: .5rem; padding: .5rem 0; background: var(--bg); }
.report h1 { font-size: 16pt; margin: .5rem 0 0; }
.report h2 { font-size: 12pt; margin: 1rem 0 .3rem; padding-bottom: .1rem; border-bottom: 1px solid var(--line); break-after: avoid; }
.report p { margin: .2rem 0; }
.report table { font-size: 8pt; margin-bottom: .4rem; }
.report th, .report td { padding: 1px 4px; }
.report thead th { position: static; }
.report .figs { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, ${CHART_MM}mm), 1fr)); gap: 3mm 4mm; }
.report figure { break-inside: avoid; }
.report canvas { display: block; width: 100%; height: auto; outline: 1px solid var(--line); }
.report figcaption { font-size: 7.5pt; margin-top: 1mm; }
@page { size: A4; margin: 12mm; }
@media print { .report { max-width: none; padding: 0; } .report .bar { display: none; } }
`;

let sheet = null;

/** A copy of a part of the page for the report, without its ids (they are the page's). */
function copy(node) {
  const c = node.cloneNode(true);
  for (const e of [c, ...c.querySelectorAll('[id]')]) e.removeAttribute('id');
  return c;
}

/** The settings the analysis used, in words. */
function settingsWords(s, view, per) {
  return [
    `Months of ${s.month_days} days.`,
    `Rate before treatment from: ${s.pre_source === 'auto' ? 'the lead-in visits when there are any, else onset' : s.pre_source}.`,
    `Responder: improvement above ${s.responder_pct}%${s.responder_abs != null ? ` and at least ${s.responder_abs} ${per}` : ''}.`,
    `Time origin: ${String(s.time_origin).replace(/_/g, ' ')}; group means ± ${String(view.error_bars).toUpperCase()}.`,
  ];
}

/** The report in place of the page; "Back to the page" or Escape closes it. */
export function openReport({ result, tables, charts, view }) {
  const a = result.analysis();
  if (!a) throw new Error('There is no result to report.');
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }
  const v = view();
  const patients = tables.patientTable();
  const ids = new Set(a.patients.map((p) => p.id));
  const count = (sev, word) => {
    const n = (a.diagnostics ?? []).filter((d) => d.severity === sev).length;
    return `${n} ${word}${n === 1 ? '' : 's'}`;
  };
  const now = new Date();
  const date = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')} ${now.toTimeString().slice(0, 5)}`;

  const back = el('button', { type: 'button' }, 'Back to the page');
  const fitted = (a.mixed_models ?? []).length > 0;
  const models = fitted ? [copy($('models-words')), compactModels()] : [el('p', { class: 'note', text: 'Not fitted. Press “Fit mixed models and D50 curves” on the page, then make the report again, to add them.' })];

  // The charts at their printed size: 88 mm wide, text of 12 CSS px at 9 pt, ~290 dpi.
  const w = Math.round((CHART_MM / 25.4) * CSS_DPI);
  const h = Math.round(w * 0.62);
  const figs = charts.names.map((name) => {
    const canvas = el('canvas', { role: 'img', 'aria-label': name });
    let caption;
    try {
      caption = charts.drawTo(canvas, name, w, h, 3, { width_mm: CHART_MM, height_mm: (CHART_MM * h) / w }).description;
    } catch (err) {
      caption = `Chart not available: ${err.message}`;
    }
    canvas.setAttribute('aria-label', caption);
    return el('figure', { 'data-chart': name }, canvas, el('figcaption', { text: caption }));
  });

  const report = el(
    'article',
    { id: 'report', class: 'report', role: 'main', 'aria-labelledby': 'report-h', tabindex: '-1' },
    el('div', { class: 'bar' }, el('button', { type: 'button', onclick: () => window.print() }, 'Print or save as PDF'), back),
    el('h1', { id: 'report-h', text: 'ALS progression: report' }),
    el('p', { class: 'note', text: `Made on ${date} by als-progression, in this browser: the data did not leave this computer.` }),
    el('h2', { text: 'Data' }),
    el('p', { text: `Source: ${v.source ?? 'pasted data'}. ${a.input.n_rows} rows, ${ids.size} patients${a.groups?.length > 1 ? ` in ${a.groups.length} groups (${a.groups.join(', ')})` : ''}; ${a.input.layout} layout, time axis: ${a.input.time_axis}.` }),
    el('p', { text: `Diagnostics: ${count('error', 'error')}, ${count('warning', 'warning')}, ${count('info', 'note')} (listed on the page).` }),
    el('h2', { text: 'Settings used' }),
    ...settingsWords(result.settingsUsed(), v, v.rateUnit).map((t) => el('p', { text: t })),
    el('h2', { text: 'Summary' }),
    ...[...$('summary').children].map(copy),
    el('h2', { text: 'Patients' }),
    patients,
    el('h2', { text: 'Tests' }),
    copy($('tests')),
    el('h2', { text: 'Models' }),
    ...models,
    el('h2', { text: 'Charts' }),
    el('div', { class: 'figs' }, ...figs),
  );

  const close = () => {
    report.remove();
    document.body.classList.remove('reporting');
    document.removeEventListener('keydown', onKey);
    $('report-btn').focus();
  };
  const onKey = (e) => e.key === 'Escape' && close();
  back.addEventListener('click', close);
  document.addEventListener('keydown', onKey);
  $('report')?.remove();
  document.body.append(report);
  document.body.classList.add('reporting');
  scrollTo(0, 0);
  report.focus();
  report.dataset.ready = '1';
}

/** The models table without its long columns (the model's formula is in the table's caption). */
function compactModels() {
  const t = copy($('mixed-table'));
  for (const row of t.rows) for (const i of [9, 1]) row.cells[i]?.remove();
  return t;
}
