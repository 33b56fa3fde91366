// The models panel: the "Fit mixed models and D50 curves" button, what the fitting is doing, the
// fits in words and in a table. The fitting itself is asked for by run.js.
import { $, el } from './dom.js';
import { simpleTable } from './tables.js';
import * as vocab from './vocab.js';

/** `result`: the result holder; `measure()`: the measure shown. */
export function createModels({ result, measure }) {
  const status = (text) => ($('models-status').textContent = text);

  /** The panel, once there is a result. */
  function show() {
    $('mixed').hidden = false;
  }

  /** The fits are offered (not asked for yet). */
  function offer() {
    $('fit-models').hidden = false;
    status('Linear mixed models per group and D50 curves per patient are fitted on request, in the background (their code loads as a separate module the first time).');
    $('models-words').replaceChildren();
    $('mixed-table').hidden = true;
  }

  function fitting() {
    $('fit-models').hidden = true;
    $('mixed-table').hidden = false;
    status('Fitting mixed models and D50 curves…');
    $('mixed').hidden = false;
  }

  function fitted(seconds) {
    status(`Fitted in ${seconds.toFixed(1)} s (in the background).`);
    render();
  }

  function failed(message) {
    status(`Models not fitted: ${message}`);
  }

  /** The fits of the measure shown, in words and in the table. */
  function render() {
    const m = measure();
    const models = (result.analysis().mixed_models ?? []).filter((x) => !m || x.measure === m);
    const { higher_is_worse: worse, unit } = vocab.measure(m);
    const num = vocab.num;
    const words = [];
    for (const mm of models) {
      const f = Object.fromEntries((mm.fixed ?? []).map((x) => [x.term, x]));
      if (!mm.fixed?.length) {
        words.push(`${mm.group}: not fitted — ${mm.note ?? 'no reason given'}.`);
        continue;
      }
      const ci = (x) => `95% CI ${num(x.ci_low)} to ${num(x.ci_high)}, p = ${vocab.pValue(x.p_value)}`;
      if (!mm.group.includes(' vs ')) {
        let t = `${mm.group}: before the first event the score changed by ${num(f.t?.estimate)} ${unit}/month (${f.t ? ci(f.t) : ''})`;
        const ta = f.t_after;
        if (ta) {
          // A slower decline is a smaller negative slope, or a smaller positive one where higher is worse.
          const slowed = worse ? ta.estimate < 0 : ta.estimate > 0;
          t += `; after the first event the decline ${slowed ? 'slowed' : 'quickened'} by ${num(Math.abs(ta.estimate))} ${unit}/month (${ci(ta)})`;
        }
        words.push(`${t}.${mm.singular ? ' Boundary (singular) fit: the random slope variance is estimated as zero.' : ''}`);
      } else {
        const [a, b] = mm.group.split(' vs ');
        const key = Object.keys(f).find((k) => k.endsWith(':t_after') || k.startsWith('t_after:'));
        if (key) words.push(`${b} compared with ${a}: the change of slope after the first event differs by ${num(f[key].estimate)} ${unit}/month (${ci(f[key])}).`);
      }
    }
    $('models-words').replaceChildren(...words.map((t) => el('p', { text: t })));
    const rows = [];
    for (const mm of models) {
      if (!mm.fixed?.length) rows.push({ mm, f: null });
      for (const f of mm.fixed ?? []) rows.push({ mm, f });
    }
    simpleTable($('mixed-table'), [
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

  return { show, offer, fitting, fitted, failed, render };
}
