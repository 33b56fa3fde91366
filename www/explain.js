// The explain panel (loaded the first time a patient is selected; www/texts.js asks for it): the
// selected patient's numbers put into the formulas, with the settings the analysis used. It is
// given what it reads (the result holder, the engine's vocabulary: www/vocab.js) and imports only
// dom.js (see scripts/build.mjs, ON_DEMAND).
import { el } from './dom.js';

/** Patient result `p` of measure `m` in `box`, headed `head`. */
export function renderExplain(box, head, p, m, result, vocab) {
  const num = vocab.num;
  const used = result.settingsUsed();
  const { label, best, higher_is_worse: worse } = vocab.measure(m);
  const per = vocab.rateUnit(m);
  // a negative number after a minus sign, in brackets: "1.314 − (-0.156)"
  const term = (x, d) => (x < 0 ? `(${num(x, d)})` : num(x, d));
  const cap = (t) => t[0].toUpperCase() + t.slice(1);
  const sign = worse ? '+' : '−';
  const s = result.series(p.id);
  const visits = (s?.visits ?? []).filter((v) => v.scores?.[m] != null);
  const lines = [];
  lines.push(`Patient ${p.id}, group ${p.group}: ${p.n_visits} visits with ${label}. Time t is in months = days / ${num(used.month_days, 4)}.`);
  for (const q of p.periods ?? []) {
    if (q.slope == null) continue;
    lines.push(`${cap(vocab.periodName(q))}: OLS of score on t over ${q.n_visits} visits gives slope ${num(q.slope, 3)} ${per}${q.slope_ci_low != null ? ` (95% CI ${num(q.slope_ci_low, 3)} to ${num(q.slope_ci_high, 3)})` : ''}; rate = ${sign}slope = ${num(q.rate, 3)}.${q.warning ? ` (${q.warning})` : ''}`);
  }
  if (p.course_rate != null && p.first_event == null) {
    // natural history: no event, so no before/after; the rate over every visit
    lines.push(`Rate over the whole course (no events) = ${sign}slope of all ${p.n_visits} visits = ${num(p.course_rate, 3)} ${per}${p.course_rate_ci_low != null ? ` (95% CI ${num(p.course_rate_ci_low, 3)} to ${num(p.course_rate_ci_high, 3)})` : ''}.`);
  }
  if (p.delta_fs != null && s?.onset != null && visits.length) {
    lines.push(`ΔFS = (${best} − first score ${visits[0].scores[m]}) / months from onset to the first visit (${num(visits[0].t - s.onset, 2)}) = ${num(p.delta_fs, 3)} ${per}.`);
  }
  if (p.pre_rate != null) {
    if (p.pre_source === 'onset') lines.push(`Rate before treatment, from onset = (${best} − score at the last visit on or before the first treatment) / months since onset = ${num(p.pre_rate, 3)} ${per}.`);
    else lines.push(`Rate before treatment, from the lead-in = ${sign}slope of the visits on or before the first treatment = ${num(p.pre_rate, 3)} ${per}.`);
  }
  if (p.post_rate != null) lines.push(`Rate after treatment = ${sign}slope of the visits on or after the first treatment = ${num(p.post_rate, 3)} ${per}.`);
  if (p.improvement_pct != null) {
    lines.push(`% improvement = (pre − post) / |pre| × 100 = (${num(p.pre_rate, 3)} − ${term(p.post_rate, 3)}) / ${num(Math.abs(p.pre_rate), 3)} × 100 = ${num(p.improvement_pct, 1)}%.`);
    const pct = used.responder_pct;
    const abs = used.responder_abs;
    lines.push(p.improvement_unreliable
      ? `Responder: not classed — the rate before treatment (${num(p.pre_rate, 3)} ${per}) is closer to zero than the improvement floor (${used.improvement_floor ?? '–'} ${per}), so the % improvement is unreliable.`
      : `Responder: ${num(p.improvement_pct, 1)}% ${p.improvement_pct > pct ? '>' : '≤'} ${pct}%${abs != null ? ` and change ${num(p.change, 3)} vs ${abs} ${per}` : ''} → ${p.responder ? 'responder' : 'not a responder'}.`);
  }
  (p.period_improvement_pct ?? []).forEach((v, i) => {
    const q = p.periods?.[i + 1];
    if (v != null && q) lines.push(`${cap(vocab.periodName(q))}: (pre − rate) / |pre| × 100 = (${num(p.pre_rate, 3)} − ${term(q.rate, 3)}) / ${num(Math.abs(p.pre_rate), 3)} × 100 = ${num(v, 1)}%.`);
  });
  if (p.lost_data) lines.push('Some of this patient’s data could not be read: see the diagnostics.');
  const d = (result.analysis().d50 ?? []).find((x) => x.id === p.id);
  if (d) {
    const frs = vocab.measure('alsfrs_r');
    lines.push(d.d50 != null
      ? `D50 model of the ${frs.label}: score(t) = ${frs.best} / (1 + exp((t − ${num(d.d50, 1)}) / ${num(d.dx, 2)})), t in months since onset; RMSE ${num(d.rmse, 2)}; phase at the last visit: ${d.phases?.at(-1)?.phase ?? '–'}.`
      : `D50 model not fitted: ${d.note ?? ''}`);
  }
  lines.push(...staging(p, result.analysis(), used, num));
  const notes = [...(p.notes ?? []), ...(p.warnings ?? [])].map((n) => el('li', { text: n }));
  // (no null among them: replaceChildren would write it as text, #24)
  box.replaceChildren(el('h3', { text: head }), ...lines.map((t) => el('p', { text: t })), ...(notes.length ? [el('ul', { class: 'warnings' }, ...notes)] : []));
}

/** The patient's stages at each visit with the rule that fired, ΔFS class and TRICALS profile (#23). */
function staging(p, a, used, num) {
  const out = [];
  for (const v of (a.stages ?? []).filter((x) => x.id === p.id)) {
    out.push(`${v.date ?? `Month ${num(v.t, 1)}`}: King's stage ${v.kings ?? 'undetermined'} — ${v.kings_reason}; MiToS stage ${v.mitos ?? 'undetermined'} — ${v.mitos_reason}.`);
  }
  // a dated death after the last visit: the engine's latest stages are the death's (stage 5)
  if (p.death_t != null && p.latest_stage_t === p.death_t) out.push(`Death, month ${num(p.death_t, 1)}: King's stage ${p.latest_kings} — ${p.latest_kings_reason}; MiToS stage ${p.latest_mitos} — ${p.latest_mitos_reason}.`);
  if (p.delta_fs_class) out.push(`ΔFS class: ${p.delta_fs_class} (cut-offs ${typeof used.delta_fs_cutoffs === 'string' ? used.delta_fs_cutoffs : 'custom'} points per month).`);
  const w = used.tricals_window;
  if (p.tricals_lp != null) out.push(`TRICALS risk profile (Westeneng et al. 2018) from the first visit: LP = ${num(p.tricals_lp, 3)}, ${p.tricals_eligible ? 'inside' : 'outside'} the eligibility window ${w?.lower} to ${w?.upper}. For research and trial screening, not individual prognosis.`);
  else if (p.tricals_missing) out.push(`No TRICALS risk profile: missing ${p.tricals_missing.join(', ').replaceAll('_', ' ')}.`);
  return out;
}
