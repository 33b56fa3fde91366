// "Fit models" fits the parsed data the engine kept from the analysis: no text is sent to the
// worker again (so none is parsed and analysed again), whether the analysis ran in the worker or,
// for an example shown before the worker was up, on the main thread; both give the same fits.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { session, built, waitAnalysed, pasteData, fitModels, cohortTsv } from './helpers.mjs';

/** Installed before the page's scripts: a record of every message the page posts to a worker. */
function recordWorkerMessages() {
  const seen = (window.__toWorker = []);
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    const m = message ?? {};
    seen.push({
      keys: Object.keys(m).sort(),
      id: m.id ?? null,
      text: typeof m.text === 'string' ? m.text.length : null,
      fit: m.fit === undefined ? null : m.fit instanceof Uint8Array ? `bytes:${m.fit.length}` : m.fit,
    });
    return post.call(this, message, ...rest);
  };
}

describe('fit models from the kept data', { skip: !built() && 'page not built (node scripts/build.mjs)' }, () => {
  let s;
  let page;
  before(async () => {
    s = await session();
    page = await s.newPage();
    await page.context().addInitScript(recordWorkerMessages);
  });
  after(async () => {
    await s?.close();
  });

  const messages = () => page.evaluate(() => window.__toWorker);
  const modelsShown = () => page.evaluate(() => JSON.stringify(window.alsAnalysis().mixed_models));

  let fromMainThread;
  test('an example analysed on the main thread: its parsed data goes to the worker, not its text', async () => {
    await page.goto(`${s.base}#example=two-arm`);
    await waitAnalysed(page);
    assert.match(await page.textContent('#status'), /\(main thread\)/, 'the example was analysed before the worker was up');
    await page.waitForFunction(() => document.body.dataset.charts === 'drawn' && document.body.dataset.models === 'offered');
    const before = (await messages()).length;
    await fitModels(page);
    const sent = (await messages()).slice(before);
    assert.deepEqual(sent.filter((m) => m.text !== null), [], 'no text sent to the worker for the fits');
    const fits = sent.filter((m) => m.fit !== null);
    assert.equal(fits.length, 1, `one fit request (sent: ${JSON.stringify(sent)})`);
    assert.match(String(fits[0].fit), /^bytes:\d+$/, 'the fit request carries the parsed data in binary');
    assert.ok((await page.$$eval('#mixed-table tbody tr', (r) => r.length)) > 0, 'the models table is filled');
    fromMainThread = await modelsShown();
    assert.ok(JSON.parse(fromMainThread).length > 0, 'mixed models fitted');
  });

  test('an analysis in the worker: the fits use the data the worker kept', async () => {
    // The same text again, now that the worker is up: analysed there, refitted without a click.
    await page.waitForFunction(() => document.body.dataset.engine === 'worker');
    const before = (await messages()).length;
    await page.evaluate(() => (document.body.dataset.state = 'pending'));
    await page.click('#analyze-btn');
    await waitAnalysed(page);
    assert.match(await page.textContent('#status'), /\(worker\)/);
    await page.waitForFunction(() => document.body.dataset.models === 'done', null, { timeout: 120000 });
    const sent = (await messages()).slice(before);
    const analyses = sent.filter((m) => m.text !== null);
    const fits = sent.filter((m) => m.fit !== null);
    assert.equal(analyses.length, 1, `the text went to the worker once (sent: ${JSON.stringify(sent)})`);
    assert.equal(fits.length, 1, `one fit request (sent: ${JSON.stringify(sent)})`);
    assert.equal(fits[0].fit, analyses[0].id, 'the fit request names the analysis whose parsed data the worker kept');
    assert.deepEqual(fits[0].keys, ['fit', 'id'], 'the fit request carries no text or settings');
    assert.equal(await modelsShown(), fromMainThread, 'the same fits as from the main thread\'s data');
  });

  test('a pasted cohort: one analysis, then fits of its kept data', async () => {
    const before = (await messages()).length;
    await pasteData(page, cohortTsv(12));
    await waitAnalysed(page);
    await page.waitForFunction(() => document.body.dataset.models === 'done', null, { timeout: 120000 });
    const sent = (await messages()).slice(before);
    const analyses = sent.filter((m) => m.text !== null);
    assert.equal(analyses.length, 1, `the text went to the worker once (sent: ${JSON.stringify(sent)})`);
    assert.deepEqual(sent.filter((m) => m.fit !== null).map((m) => m.fit), [analyses[0].id]);
    assert.ok((await page.$$eval('#mixed-table tbody tr', (r) => r.length)) > 0, 'the models table is filled');
    assert.deepEqual(page.consoleErrors, []);
  });

  test('without workers: analysis and fits on the main thread, from the data it kept', async () => {
    const p2 = await s.newPage();
    await p2.context().addInitScript(() => {
      window.Worker = function () {
        throw new Error('no workers in this test');
      };
    });
    await p2.goto(`${s.base}#example=two-arm`);
    await waitAnalysed(p2);
    await p2.waitForFunction(() => document.body.dataset.engine === 'main-thread', null, { timeout: 20000 });
    await fitModels(p2);
    assert.equal(await p2.evaluate(() => JSON.stringify(window.alsAnalysis().mixed_models)), fromMainThread, 'the same fits as in the worker');
    assert.deepEqual(p2.consoleErrors, []);
  });
});
