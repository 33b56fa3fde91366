// The result in words: the summary per group, and the selected patient's numbers put into the
// formulas (the explain panel), with the settings the analysis used. Words, units, best scores
// and number formats come from the engine (vocab.js); the tests' sentences are the engine's.
import { $, el } from './dom.js';
import { state } from './state.js';
import * as vocab from './vocab.js';

/** `result`: the result holder; `measure()`: the measure shown. */
export function createTexts({ result, measure }) {
  const num = vocab.num;

  function summaryOf(a, m, group, variable) {
    return (a.summaries ?? []).find((s) => s.measure === m && s.group === group && s.variable === variable);
  }

  function renderSummary() {
    const a = result.analysis();
    const m = measure();
    const { label, unit } = vocab.measure(m);
    const tests = (a.tests ?? []).filter((t) => t.measure === m);
    const paras = (a.groups ?? []).map((g) => {
      const ps = result.patients(m).filter((p) => p.group === g);
      const pre = summaryOf(a, m, g, 'pre_rate');
      const post = summaryOf(a, m, g, 'post_rate');
      const r = (a.responders ?? []).find((x) => x.measure === m && x.group === g);
      let text = `${g}: ${ps.length} patient${ps.length === 1 ? '' : 's'}, ${label}.`;
      if (pre?.n || post?.n) text += ` Median decline ${num(pre?.median)} ${unit}/month before (n = ${pre?.n ?? 0}) and ${num(post?.median)} after the first event (n = ${post?.n ?? 0}).`;
      if (r && r.n_evaluable > 0) {
        const abs = r.threshold_abs != null ? ` and by at least ${r.threshold_abs} ${unit}/month` : '';
        text += ` ${r.responders} of ${r.n_evaluable} patients${r.proportion != null ? ` (${num(100 * r.proportion, 0)}%)` : ''} improved by more than ${r.threshold_pct}%${abs}`;
        const w = tests.find((t) => t.kind === 'wilcoxon_signed_rank' && t.group === g);
        text += w?.statistic != null ? `; pre vs post: ${result.testSentence(w)}.` : '.';
      }
      return el('p', { text });
    });
    for (const t of tests.filter((x) => x.kind === 'mann_whitney' && x.variable === 'change' && x.statistic != null)) {
      paras.push(el('p', { text: `${t.group}, change of rate: ${result.testSentence(t)}.` }));
    }
    $('summary').replaceChildren(...paras);
  }

  function renderExplain() {
    const box = $('explain');
    const head = el('h3', { text: 'Selected patient: the formulas with this patient’s numbers' });
    const m = measure();
    const p = state.selected === null ? null : result.patient(state.selected, m);
    if (!p) {
      box.replaceChildren(head, el('p', { class: 'note', text: 'Select a patient in the table or click a point in a chart.' }));
      return;
    }
    const used = result.settingsUsed();
    const { label, unit, best, higher_is_worse: worse } = vocab.measure(m);
    const per = `${unit}/month`;
    const sign = worse ? '+' : '−';
    const s = result.series(p.id);
    const visits = (s?.visits ?? []).filter((v) => v.scores?.[m] != null);
    const lines = [];
    lines.push(`Patient ${p.id}, group ${p.group}: ${p.n_visits} visits with ${label}. Time t is in months = days / ${num(used.month_days, 4)}.`);
    for (const q of p.periods ?? []) {
      if (q.slope == null) continue;
      lines.push(`Period ${q.index}${q.event ? ` (from ${q.event})` : ' (before the first event)'}: OLS of score on t over ${q.n_visits} visits gives slope ${num(q.slope, 3)} ${per}${q.slope_ci_low != null ? ` (95% CI ${num(q.slope_ci_low, 3)} to ${num(q.slope_ci_high, 3)})` : ''}; rate = ${sign}slope = ${num(q.rate, 3)}.${q.warning ? ` (${q.warning})` : ''}`);
    }
    if (p.delta_fs != null && s?.onset != null && visits.length) {
      lines.push(`ΔFS = (${best} − first score ${visits[0].scores[m]}) / months from onset to the first visit (${num(visits[0].t - s.onset, 2)}) = ${num(p.delta_fs, 3)} ${per}.`);
    }
    if (p.pre_rate != null) {
      if (p.pre_source === 'onset') lines.push(`Pre-rate from onset = (${best} − score at the last visit on or before the first event) / months since onset = ${num(p.pre_rate, 3)} ${per}.`);
      else lines.push(`Pre-rate from the lead-in = ${sign}slope of the visits on or before the first event = ${num(p.pre_rate, 3)} ${per}.`);
    }
    if (p.post_rate != null) lines.push(`Post-rate = ${sign}slope of the visits on or after the first event = ${num(p.post_rate, 3)} ${per}.`);
    if (p.improvement_pct != null) {
      lines.push(`% improvement = (pre − post) / |pre| × 100 = (${num(p.pre_rate, 3)} − ${num(p.post_rate, 3)}) / ${num(Math.abs(p.pre_rate), 3)} × 100 = ${num(p.improvement_pct, 1)}%.`);
      const pct = used.responder_pct;
      const abs = used.responder_abs;
      lines.push(`Responder: ${num(p.improvement_pct, 1)}% ${p.improvement_pct > pct ? '>' : '≤'} ${pct}%${abs != null ? ` and change ${num(p.change, 3)} vs ${abs} ${per}` : ''} → ${p.responder ? 'responder' : 'not a responder'}.`);
    }
    (p.period_improvement_pct ?? []).forEach((v, i) => {
      if (v != null) lines.push(`Period ${i + 1}: (pre − rate) / |pre| × 100 = (${num(p.pre_rate, 3)} − ${num(p.periods?.[i + 1]?.rate, 3)}) / ${num(Math.abs(p.pre_rate), 3)} × 100 = ${num(v, 1)}%.`);
    });
    const d = (result.analysis().d50 ?? []).find((x) => x.id === p.id);
    if (d) {
      const frs = vocab.measure('alsfrs_r');
      lines.push(d.d50 != null
        ? `D50 model of the ${frs.label}: score(t) = ${frs.best} / (1 + exp((t − ${num(d.d50, 1)}) / ${num(d.dx, 2)})), t in months since onset; RMSE ${num(d.rmse, 2)}; phase at the last visit: ${d.phases?.at(-1)?.phase ?? '–'}.`
        : `D50 model not fitted: ${d.note ?? ''}`);
    }
    const notes = [...(p.notes ?? []), ...(p.warnings ?? [])].map((n) => el('li', { text: n }));
    box.replaceChildren(head, ...lines.map((t) => el('p', { text: t })), notes.length ? el('ul', { class: 'warnings' }, ...notes) : null);
  }

  return { renderSummary, renderExplain };
}
