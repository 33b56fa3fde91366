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
      // natural history (no events): the whole-course rate, which the engine summarises then
      const course = summaryOf(a, m, g, 'course_rate');
      if (course?.n) text += ` Median decline ${num(course.median)} ${per} over the whole course (n = ${course.n}; no events: natural history).`;
      if (pre?.n || post?.n) text += ` Median decline ${num(pre?.median)} ${per} before treatment (n = ${pre?.n ?? 0}) and ${num(post?.median)} after (n = ${post?.n ?? 0}).`;
      if (r && r.n_evaluable > 0) {
        const abs = r.threshold_abs != null ? ` and by at least ${r.threshold_abs} ${per}` : '';
        text += ` ${r.responders} of ${r.n_evaluable} patients${r.proportion != null ? ` (${num(100 * r.proportion, 0)}%)` : ''} improved by more than ${r.threshold_pct}%${abs}`;
        if (r.n_unreliable) text += ` (${r.n_unreliable} more left out: the rate before treatment too close to zero for a reliable % improvement)`;
        const w = tests.find((t) => t.kind === 'wilcoxon_signed_rank' && t.group === g);
        text += w?.statistic != null ? `; pre vs post: ${result.testSentence(w)}.` : '.';
      }
      text += classesOf(ps);
      return el('p', { text });
    });
    // between groups: the change of rate (or the whole-course rate), pairwise or all at once
    for (const t of tests.filter((x) => (x.kind === 'mann_whitney' || x.kind === 'kruskal_wallis') && (x.variable === 'change' || x.variable === 'course_rate') && x.statistic != null)) {
      // what was compared (the title without the test's name, which the sentence starts with), the direction
      const what = t.title.includes(' — ') ? t.title.slice(0, t.title.lastIndexOf(' — ')) : t.title;
      paras.push(el('p', { text: `${what}: ${result.testSentence(t)}${t.direction ? `; ${t.direction}` : ''}.` }));
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
