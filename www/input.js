// The data: the paste area, files (dropped or opened, one or several at once: several become one
// text of tables joined on the patient id; .xlsx through the on-demand XLSX module), large data
// held in memory with a preview, data too large to analyse, the examples menu, the tables read
// (which sheet or file, which header row: the user can change both), and the diagnostics, which
// point at lines of the data.
import { $, el, setStatus, showBanner, download } from './dom.js';
import { clearHash } from './share.js';
import { state, setPhase } from './state.js';
import { forgetData } from './settings.js';
// The examples' names and titles (written by scripts/build.mjs from the engine's synth); their
// data is www/pkg/examples.js, loaded when one is asked for.
import { EXAMPLES } from './pkg/example_list.js';

// Larger pastes get a clear message instead of an analysis that could exhaust the tab's memory
// (the result is ~8× the text): about 350,000 visit rows. The CLI has no such limit.
export const MAX_TEXT_BYTES = 16 * 1024 * 1024;
// Larger data is held in memory and only its first lines are shown in the paste area: Chromium
// needs ~0.7 s per MB to lay out a <textarea>, during which the tab is frozen (a 4.6 MB paste:
// ~3 s). The whole text is analysed, saved, shared and exported as usual.
const HOLD_BYTES = 512 * 1024;
// The preview: at most 200 lines and 64 K characters (a line longer than that is cut: one line of
// 20 MB would otherwise be the whole preview, and freeze the tab while the box lays it out).
const PREVIEW_LINES = 200;
const PREVIEW_CHARS = 64 * 1024;

const mb = (n) => (n / 1024 / 1024).toFixed(1);

/** Tells the page that data is too large to analyse (status, banner, body[data-state]). */
export function tooLarge(text, action = null) {
  setPhase('too-large');
  const kept = action
    ? ' It was not put into the paste area, which would freeze this tab, and nothing was analysed; the paste area keeps what it had. Save the data as a file and use the command-line tool: als-progression analyze FILE --format csv'
    : ' Your text is kept. For larger files use the command-line tool: als-progression analyze FILE --format csv';
  showBanner(`This data is ${mb(text.length)} MB; the page analyses up to ${mb(MAX_TEXT_BYTES)} MB (about 350,000 visit rows).${kept}`, 'warn', action);
  setStatus('Data too large for the page: nothing was analysed.');
}

/**
 * `engine`: the Engine (examples); `onEdit(delay)`: the text was edited (analyse after `delay`
 * ms); `onNewData()`: a file or an example replaced the data (analyse now).
 */
export function createInput({ engine, onEdit, onNewData }) {
  const ta = $('data');
  let xlsx = null; // the XLSX module, once loaded

  /** The data: the held text when the paste area shows only a preview, else the paste area's. */
  function dataText() {
    return state.held?.text ?? ta.value;
  }

  /** The whole text in the paste area, editable (no preview, nothing held). */
  function showWhole(text) {
    state.held = null;
    ta.readOnly = false;
    ta.value = text;
    $('held').hidden = true;
  }

  /** Put data in place: small text into the paste area, large text held with a preview. */
  function setDataText(text) {
    state.oversized = null;
    if (text.length <= HOLD_BYTES) return showWhole(text);
    let end = 0;
    let lines = 0;
    while (lines < PREVIEW_LINES && end < PREVIEW_CHARS) {
      const nl = text.indexOf('\n', end);
      if (nl === -1 || nl >= PREVIEW_CHARS) {
        end = Math.min(text.length, PREVIEW_CHARS);
        break;
      }
      end = nl + 1;
      lines++;
    }
    let total = 0;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) total++;
    if (!text.endsWith('\n')) total++;
    state.held = { text, previewLines: lines };
    ta.value = text.slice(0, end);
    ta.readOnly = true;
    $('held-text').textContent = `Showing the first ${text[end - 1] !== '\n' ? '64 K characters' : lines.toLocaleString('en')} of ${total.toLocaleString('en')} lines (${mb(text.length)} MB): all of it is analysed. The box is read-only so the tab stays fast; paste or drop new data to replace it.`;
    $('held').hidden = false;
  }

  // Text larger than the page analyses is never put into the paste area: Chromium needs tens of
  // seconds to lay out a 50 MB <textarea>, during which the tab is frozen. The text is kept in
  // memory instead (nothing is lost) and offered as a file for the command-line tool.
  function holdOversized(text, name = 'pasted-data.txt') {
    state.seq++; // abandon any analysis in flight
    state.oversized = { text, name };
    tooLarge(text, { label: 'Save the data as a file', onclick: () => download(name, new Blob([text], { type: 'text/plain' })) });
  }

  async function loadXlsxModule() {
    if (globalThis.ALS_BUNDLE && !globalThis.ALS_BUNDLE.has('pkg/xlsx/als_xlsx.js')) {
      throw new Error('This single-file version cannot read .xlsx files. Save the sheet as CSV, or use the full page.');
    }
    if (!xlsx) {
      const [glue, { wasmBytes }] = await Promise.all([import('./pkg/xlsx/als_xlsx.js'), import('./pkg/xlsx/als_xlsx_wasm.js')]);
      await glue.default({ module_or_path: await WebAssembly.compile(await wasmBytes()) });
      xlsx = glue;
    }
    return xlsx;
  }

  /** A file's text (an .xlsx through the XLSX module), or null when it was held as too large. */
  async function fileText(file) {
    if (/\.xlsx$/i.test(file.name)) {
      setStatus(`Reading ${file.name}…`);
      const mod = await loadXlsxModule();
      return mod.xlsx_to_text(new Uint8Array(await file.arrayBuffer()));
    }
    if (file.size > MAX_TEXT_BYTES) {
      holdOversized(await file.text(), file.name);
      return null;
    }
    return file.text();
  }

  /** One file, or several: their tables joined on the patient id (the engine writes them as one text). */
  async function openFiles(list) {
    const files = [...(list ?? [])];
    if (!files.length) return;
    const names = files.map((f) => f.name).join(', ');
    try {
      const texts = [];
      for (const f of files) {
        const t = await fileText(f);
        if (t === null) return;
        texts.push(t);
      }
      const text = files.length === 1 ? texts[0] : engine.call((core) => core.join_tables(files.map((f) => f.name), texts));
      if (text.length > MAX_TEXT_BYTES) {
        holdOversized(text, files.length === 1 ? `${files[0].name}.tsv` : 'tables.txt');
        return;
      }
      setDataText(text);
      clearHash();
      state.columns = {};
      state.sheet = null;
      state.headerRow = null;
      state.selected = null;
      state.source = names;
      onNewData();
    } catch (err) {
      showBanner(`Could not read ${names}: ${err.message ?? err}`, 'warn');
    }
  }

  async function loadExample(name) {
    // New data is on its way (its text is a module away): the result shown is not its result.
    setPhase('pending');
    try {
      const { TEXTS } = await import('./pkg/examples.js');
      const text = TEXTS[name];
      if (typeof text !== 'string') throw new Error('there is no example of this name');
      setDataText(text);
      state.selected = null;
      state.source = `the example "${name}" (synthetic data)`;
      forgetData();
      history.replaceState(null, '', `${location.pathname}${location.search}#example=${encodeURIComponent(name)}`);
      $('examples-menu').open = false;
      return onNewData(); // (the analysis, for who waits on it)
    } catch (err) {
      setPhase('error');
      showBanner(`Example ${name}: ${err.message}`, 'warn');
    }
  }

  /** The examples menu, and the examples' buttons of the first visit's panel. */
  function renderExamples() {
    const list = EXAMPLES;
    $('examples-list').replaceChildren(
      ...list.map((ex) => el('li', {}, el('button', { type: 'button', 'data-example': ex.name, onclick: () => loadExample(ex.name) }, el('strong', { text: ex.title ?? ex.name }), el('span', { class: 'note', text: ex.description ? ` — ${ex.description}` : '' })))),
    );
    $('start-examples').replaceChildren(...list.map((ex) => el('button', { type: 'button', class: 'link', onclick: () => loadExample(ex.name) }, ex.title ?? ex.name)));
  }

  /** The tables the last analysis read, for placing a diagnostic's line of a table in the paste area. */
  let tablesRead = [];

  /** The paste area's line of line `line` of table `file` (a diagnostic's): its table's lines come after the ones before it. */
  function textLine(file, line) {
    const t = file ? tablesRead.find((x) => (x.name ?? null) === file || (!x.name && file === `table ${tablesRead.indexOf(x) + 1}`)) : null;
    return (t?.line_offset ?? 0) + line;
  }

  /** Select a line of the data in the paste area (a diagnostic's). */
  function selectLine(line) {
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

  /** Which tables (files, sheets) were read and where their headers are; the user can choose one table and its header row. */
  function renderTables(analysis) {
    tablesRead = analysis.input?.tables ?? [];
    let box = $('tables-read');
    const shown = tablesRead.length > 1 || state.sheet || state.headerRow || tablesRead.some((t) => t.header_rows > 1 || t.note);
    if (!shown) {
      if (box) box.hidden = true;
      return;
    }
    if (!box) {
      box = el('div', { id: 'tables-read', class: 'note' });
      $('held').after(box);
    }
    box.hidden = false;
    const what = (t) => (t.used === 'visits' ? 'visits' : t.used === 'patients' ? 'patient facts' : `not read${t.note ? `: ${t.note}` : ''}`);
    const header = (t) => (t.header_rows > 1 ? `header on lines ${t.header_row} and ${t.header_row + 1}` : `header on line ${t.header_row}`);
    const label = (t, i) => t.name ?? `table ${i + 1}`;
    const select = el('select', { id: 'sheet-choice', 'aria-label': 'Table or sheet to read' });
    if (tablesRead.length > 1 || state.sheet) select.append(el('option', { value: '', text: 'every table that holds data' }));
    tablesRead.forEach((t, i) => select.append(el('option', { value: t.name ?? '', text: `${label(t, i)} (${what(t)})` })));
    select.value = state.sheet ?? '';
    select.disabled = !tablesRead.some((t) => t.name);
    select.addEventListener('change', () => {
      state.sheet = select.value || null;
      state.headerRow = null;
      onEdit(0);
    });
    const read = tablesRead.filter((t) => t.used !== 'skipped');
    const row = el('input', { id: 'header-row', type: 'number', min: '1', step: '1', 'aria-label': 'Line of the header', value: state.headerRow ?? (read.length === 1 ? read[0].header_row : '') });
    row.disabled = read.length !== 1 && !state.sheet;
    row.addEventListener('change', () => {
      const n = Number(row.value);
      state.headerRow = Number.isInteger(n) && n >= 1 ? n : null;
      onEdit(0);
    });
    const summary = tablesRead.map((t, i) => `${label(t, i)}: ${what(t)}${t.used === 'skipped' ? '' : `, ${header(t)}`}`).join('; ');
    box.replaceChildren(
      el('span', { text: `Tables read — ${summary}. ` }),
      el('label', {}, 'Read ', select),
      ' ',
      el('label', {}, 'header on line ', row),
    );
  }

  /** The analysis' diagnostics, errors first, then warnings, then information; one with a line selects it in the data. Also the tables read (above). */
  function renderDiagnostics(analysis) {
    renderTables(analysis);
    const order = { error: 0, warning: 1 };
    const diags = [...(analysis.diagnostics ?? [])].sort((a, b) => (order[a.severity] ?? 2) - (order[b.severity] ?? 2));
    const list = $('diagnostics');
    if (!diags.length) {
      list.replaceChildren(el('li', { class: 'note', text: 'No problems found.' }));
      return;
    }
    list.replaceChildren(
      ...diags.map((d) => {
        const where = d.file ? `${d.file}${d.line ? `, line ${d.line}` : ''}: ` : d.line ? `Line ${d.line}: ` : '';
        const label = `${where}${d.message}`;
        const at = d.line ? textLine(d.file, d.line) : null;
        const item = d.line
          ? el('button', { type: 'button', class: `diag ${d.severity}`, 'data-line': at, onclick: () => selectLine(at), title: 'Select this line in the data' }, label)
          : el('span', { class: `diag ${d.severity}` }, label);
        return el('li', {}, el('span', { class: `sev ${d.severity}`, text: d.severity }), ' ', item);
      }),
    );
  }

  function wire() {
    // Escape closes the examples menu (and gives the focus back to its button).
    const menu = $('examples-menu');
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && menu.open) {
        menu.open = false;
        menu.firstElementChild.focus();
      }
    });
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
        state.source = 'pasted or typed data';
        onEdit(0);
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
      state.source = 'pasted or typed data';
      clearHash();
      onEdit(500);
    });
    ta.addEventListener('dragover', (e) => {
      e.preventDefault();
      ta.classList.add('drop');
    });
    ta.addEventListener('dragleave', () => ta.classList.remove('drop'));
    ta.addEventListener('drop', (e) => {
      e.preventDefault();
      ta.classList.remove('drop');
      openFiles(e.dataTransfer?.files);
    });
    // Several files at once (e.g. PRO-ACT's ALSFRS.csv, AlsHistory.csv, DeathData.csv, …).
    $('file').multiple = true;
    $('file').addEventListener('change', (e) => openFiles(e.target.files));
  }

  return { dataText, setDataText, loadExample, renderExamples, renderDiagnostics, wire };
}
