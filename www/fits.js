// The model fits in words and in a table (loaded with the fits; www/models.js asks for it): the
// mixed models of the measure shown, and the engine's notes on them. It is given what it reads
// (the analysis, the engine's vocabulary www/vocab.js, tables.js's simpleTable) and imports only
// dom.js (see scripts/build.mjs, ON_DEMAND).
import { $, el } from './dom.js';

const CAPTION = 'Linear mixed models, REML: score ~ 1 + t + t_after + (1 + t | patient), t = months from the first event, t_after = max(0, t); arms compared with score ~ group * (t + t_after) + (1 + t | patient). Satterthwaite df and p as lmerTest reports them.';

/** The fits of analysis `a` for measure `m`, in #models-words and #mixed-table. */
export function renderFits(a, m, vocab, simpleTable) {
  const models = (a.mixed_models ?? []).filter((x) => !m || x.measure === m);
  const { higher_is_worse: worse } = vocab.measure(m);
  const unit = vocab.rateUnit(m);
  const num = vocab.num;
  const words = [];
  for (const mm of models) {
    const f = Object.fromEntries((mm.fixed ?? []).map((x) => [x.term, x]));
    if (!mm.fixed?.length) {
      words.push(`${mm.group}: not fitted — ${mm.note ?? 'no reason given'}.`);
      continue;
    }
    const ci = (x) => `95% CI ${num(x.ci_low)} to ${num(x.ci_high)}, ${vocab.pText(x.p_value)}`;
    if (!mm.group.includes(' vs ')) {
      let t = `${mm.group}: before treatment the score changed by ${num(f.t?.estimate)} ${unit} (${f.t ? ci(f.t) : ''})`;
      const ta = f.t_after;
      if (ta) {
        // A slower decline is a smaller negative slope, or a smaller positive one where higher is worse.
        const slowed = worse ? ta.estimate < 0 : ta.estimate > 0;
        t += `; after treatment the decline ${slowed ? 'slowed' : 'quickened'} by ${num(Math.abs(ta.estimate))} ${unit} (${ci(ta)})`;
      }
      words.push(`${t}.${mm.singular ? ' Boundary (singular) fit: the random slope variance is estimated as zero.' : ''}`);
    } else {
      const [a, b] = mm.group.split(' vs ');
      const key = Object.keys(f).find((k) => k.endsWith(':t_after') || k.startsWith('t_after:'));
      if (key) words.push(`${b} compared with ${a}: the change of slope after treatment differs by ${num(f[key].estimate)} ${unit} (${ci(f[key])}).`);
    }
  }
  // The engine's notes on the models (e.g. a convention rather than the authors' rule), when it gives them.
  const notes = [a.models_note, a.model_notes].flat().filter((x) => typeof x === 'string');
  $('models-words').replaceChildren(...words.map((t) => el('p', { text: t })), ...notes.map((t) => el('p', { class: 'note', text: t })));
  const rows = [];
  for (const mm of models) {
    if (!mm.fixed?.length) rows.push({ mm, f: null });
    for (const f of mm.fixed ?? []) rows.push({ mm, f });
  }
  const table = $('mixed-table');
  table.caption.textContent = CAPTION;
  simpleTable(table, [
    { label: 'Group', get: (r) => r.mm.group },
    { label: 'Model', get: (r) => `${r.mm.formula} (${r.mm.method}; ${r.mm.n_obs} visits, ${r.mm.n_patients} patients)` },
    { label: 'Term', get: (r) => r.f?.term ?? '' },
    { label: 'Estimate', num: true, get: (r) => num(r.f?.estimate, 3) },
    { label: 'SE', num: true, get: (r) => num(r.f?.se, 3) },
    { label: 'df', num: true, get: (r) => num(r.f?.df, 1) },
    { label: 't', num: true, get: (r) => num(r.f?.t_value, 2) },
    { label: 'p', num: true, get: (r) => vocab.pValue(r.f?.p_value) },
    { label: '95% CI', get: (r) => (r.f ? `${num(r.f.ci_low, 3)} to ${num(r.f.ci_high, 3)}` : '') },
    { label: 'SD intercept / slope / residual', get: (r) => `${num(r.mm.sd_intercept)} / ${num(r.mm.sd_slope, 3)} / ${num(r.mm.sd_residual)}` },
    { label: 'Note', get: (r) => [r.mm.note, r.mm.singular ? 'boundary (singular) fit' : null, r.mm.converged === false ? 'did not converge' : null].filter(Boolean).join('; ') },
  ], rows);
}
