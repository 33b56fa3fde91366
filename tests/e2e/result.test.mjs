// The result as the page holds it: the explain panel states the settings the analysis used, not
// what the form says now; the words and units are the engine's.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { session, built, waitAnalysed } from './helpers.mjs';

describe('the result shown', { skip: !built() && 'page not built (node scripts/build.mjs)' }, () => {
  let s;
  before(async () => {
    s = await session();
  });
  after(async () => {
    await s?.close();
  });

  test('the explain panel states the settings the analysis used, not the form\'s values now', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=lead-in`);
    await waitAnalysed(page);
    // The form changes without a change event: no analysis runs, the result is the same.
    await page.$eval('#responder_pct', (i) => (i.value = '99'));
    await page.$eval('#month_days', (i) => (i.value = '7'));
    const explain = () => page.textContent('#explain');
    // a patient with a % improvement (so that the responder rule is stated)
    const id = await page.evaluate(() => window.alsAnalysis().patients.find((p) => p.improvement_pct != null).id);
    await page.click(`#patients tbody tr[data-id="${id}"] th button`);
    await page.waitForFunction((id) => document.getElementById('explain').textContent.includes(`Patient ${id},`), id);
    const text = await explain();
    assert.match(text, /days \/ 30\.4375\b/, `the month length of the analysis (${text.slice(0, 200)})`);
    assert.match(text, /[>≤] 25%/, 'the responder threshold of the analysis');
    assert.doesNotMatch(text, /99%|days \/ 7\b/, 'not the form\'s values');
    // once analysed with them, the panel states the new ones
    await page.evaluate(() => (document.body.dataset.state = 'pending'));
    await page.click('#analyze-btn');
    await waitAnalysed(page);
    assert.match(await explain(), /days \/ 7\.0000/);
    assert.match(await explain(), /[>≤] 99%/);
  });

  test('measure labels and units are the engine\'s', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=lead-in`);
    await waitAnalysed(page);
    const options = await page.$$eval('#measure option', (os) => os.map((o) => [o.value, o.textContent]));
    assert.ok(options.length > 1);
    // The vocabulary the page shows comes from the wasm export, whatever its words are.
    const vocabulary = await page.evaluate(async () => {
      const glue = await import('./www/pkg/als_core.js');
      return JSON.parse(glue.vocabulary());
    });
    const label = Object.fromEntries(vocabulary.measures.map((m) => [m.name, m.label]));
    for (const [value, text] of options) assert.equal(text, label[value], `${value}: label`);
    const fvc = vocabulary.measures.find((m) => m.name === 'fvc');
    await page.selectOption('#measure', 'fvc');
    await page.waitForFunction(() => document.body.dataset.charts === 'drawn' && document.body.dataset.state === 'ready');
    // rates in the measure's unit per month (#24: "% predicted per month", never "points/month")
    const rate = fvc.rate_unit ?? `${fvc.unit} per month`;
    assert.match(await page.textContent('#summary'), new RegExp(rate.replace(/[%]/g, '\\$&')), 'the summary in FVC\'s unit');
    assert.doesNotMatch(await page.textContent('#summary'), /points/);
  });

  test('charts are "drawn" only with the result they show: a drawing begun before a change does not count', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=lead-in`);
    await waitAnalysed(page);
    await page.waitForFunction(() => document.body.dataset.charts === 'drawn' && document.body.dataset.engine === 'worker', null, { timeout: 20000 });
    const measures = await page.$$eval('#measure option', (os) => os.map((o) => o.value));
    assert.ok(measures.length > 1);
    // In one task: select a patient (its charts are drawn in a later task), then switch the measure
    // (a new analysis, in the worker). Each time body[data-charts] becomes 'drawn', note which
    // measure the result has.
    await page.evaluate((next) => {
      window.__drawn = [];
      new MutationObserver(() => {
        if (document.body.dataset.charts === 'drawn') window.__drawn.push(window.alsAnalysis().measures[0]);
      }).observe(document.body, { attributes: true, attributeFilter: ['data-charts'] });
      document.querySelector('#patients tbody tr th button').click();
      const sel = document.getElementById('measure');
      sel.value = next;
      sel.dispatchEvent(new Event('change'));
    }, measures[1]);
    await page.waitForFunction(() => document.body.dataset.state === 'ready' && document.body.dataset.charts === 'drawn');
    assert.deepEqual(await page.evaluate(() => window.__drawn), [measures[1]], 'drawn once, with the new measure\'s result');
  });
});
