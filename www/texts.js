// The result in words: the summary per group, and the selected patient's numbers put into the
// formulas (the explain panel, www/explain.js, loaded the first time a patient is selected), with
// the settings the analysis used. Words, units, best scores and number formats come from the
// engine (vocab.js); the tests' sentences are the engine's.
import { $, el } from './dom.js';
import { state } from './state.js';
import * as vocab from './vocab.js';

const HEAD = 'Selected patient: the formulas with this patient’s numbers';

/** `result`: the result holder; `measure()`: the measure shown. */
export function createTexts({ result, measure }) {
  const num = vocab.num;

  function summaryOf(a, m, group, variable) {
    return (a.summaries ?? []).find((s) => s.measure === m && s.group === group && s.variable === variable);
  }

  /** The ΔFS classes (#23) of a group's patients, and their TRICALS risk profiles, in words. */
  function classesOf(ps) {
    if (!ps.some((p) => p.delta_fs_class != null || p.tricals_lp != null)) return '';
    const n = (c) => ps.filter((p) => (p.delta_fs_class ?? null) === c).length;
    let t = ` ΔFS classes: slow ${n('slow')}, intermediate ${n('intermediate')}, fast ${n('fast')}, unclassified ${n(null)}.`;
    const lp = ps.filter((p) => p.tricals_lp != null);
    if (lp.length) t += ` TRICALS risk profile for ${lp.length}: ${lp.filter((p) => p.tricals_eligible).length} in the eligibility window (research and trial screening only).`;
    return t;
  }

  function renderSummary() {
    const a = result.analysis();
    const m = measure();
    const { label, unit } = vocab.measure(m);
    const per = vocab.rateUnit(m);
    const tests = (a.tests ?? []).filter((t) => t.measure === m);
    const paras = (a.groups ?? []).map((g) => {
      const ps = result.patients(m).filter((p) => p.group === g);
      const pre = summaryOf(a, m, g, 'pre_rate');
      const post = summaryOf(a, m, g, 'post_rate');
      const r = (a.responders ?? []).find((x) => x.measure === m && x.group === g);
      let text = `${g}: ${ps.length} patient${ps.length === 1 ? '' : 's'}, ${label}.`;
      if (pre?.n || post?.n) text += ` Median decline ${num(pre?.median)} ${per} before treatment (n = ${pre?.n ?? 0}) and ${num(post?.median)} after (n = ${post?.n ?? 0}).`;
      if (r && r.n_evaluable > 0) {
        const abs = r.threshold_abs != null ? ` and by at least ${r.threshold_abs} ${per}` : '';
        text += ` ${r.responders} of ${r.n_evaluable} patients${r.proportion != null ? ` (${num(100 * r.proportion, 0)}%)` : ''} improved by more than ${r.threshold_pct}%${abs}`;
        const w = tests.find((t) => t.kind === 'wilcoxon_signed_rank' && t.group === g);
        text += w?.statistic != null ? `; pre vs post: ${result.testSentence(w)}.` : '.';
      }
      text += classesOf(ps);
      return el('p', { text });
    });
    for (const t of tests.filter((x) => x.kind === 'mann_whitney' && x.variable === 'change' && x.statistic != null)) {
      paras.push(el('p', { text: `${t.group}, change of rate: ${result.testSentence(t)}.` }));
    }
    // The survival outcomes (#22), in the engine's sentences, once the survival pass is done.
    for (const text of result.survivalSentences()) paras.push(el('p', { class: 'survival', text }));
    $('summary').replaceChildren(...paras);
  }

  let explain = null; // the explain panel's module (www/explain.js), once asked for

  /** The explain panel of the selected patient (its module loaded the first time). */
  function renderExplain() {
    const box = $('explain');
    const m = measure();
    const p = state.selected === null ? null : result.patient(state.selected, m);
    if (!p) {
      box.replaceChildren(el('h3', { text: HEAD }), el('p', { class: 'note', text: 'Select a patient in the table or click a point in a chart.' }));
      return null;
    }
    const a = result.analysis();
    explain ??= import('./explain.js');
    return explain.then((mod) => {
      // still the patient and the result shown
      if (state.selected === p.id && result.analysis() === a) mod.renderExplain(box, HEAD, p, m, result, vocab);
    });
  }

  return { renderSummary, renderExplain };
}
