// The models panel: the "Fit mixed models and D50 curves" button, what the fitting is doing, the
// fits in words and in a table (www/fits.js, loaded with the fits). The fitting itself is asked
// for by run.js.
import { $ } from './dom.js';
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
    view ??= import('./fits.js'); // while the models are fitted
    $('fit-models').hidden = true;
    $('mixed-table').hidden = false;
    status('Fitting mixed models and D50 curves…');
    $('mixed').hidden = false;
  }

  /** The fits are in the result: a promise of their view. */
  function fitted(seconds) {
    status(`Fitted in ${seconds < 1 ? `${Math.max(1, Math.round(seconds * 1000))} ms` : `${seconds.toFixed(1)} s`} (in the background).`);
    return render();
  }

  function failed(message) {
    status(`Models not fitted: ${message}`);
  }

  let view = null; // the fits' view (www/fits.js), once asked for

  /** The fits of the measure shown, in words and in the table (their module loaded the first time); a promise. */
  function render() {
    const a = result.analysis();
    if (!a.mixed_models?.length) {
      $('models-words').replaceChildren();
      $('mixed-table').tBodies[0].replaceChildren();
      return Promise.resolve();
    }
    view ??= import('./fits.js');
    return view.then((mod) => result.analysis() === a && mod.renderFits(a, measure(), vocab, simpleTable));
  }

  return { show, offer, fitting, fitted, failed, render };
}
