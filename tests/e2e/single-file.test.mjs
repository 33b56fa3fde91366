// dist/als-progression.html opened from file:// (no server): analysis, worker or fallback, no
// request beyond the file itself and blob:/data: URLs.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch, ROOT, built, waitAnalysed, tableRows, pasteData, cohortTsv, fitModels } from './helpers.mjs';

const FILE = join(ROOT, 'dist', 'als-progression.html');

describe('single file from file://', { skip: !built() && 'dist/als-progression.html not built' }, () => {
  let browser;
  let page;
  const requests = [];
  before(async () => {
    browser = await launch();
    const ctx = await browser.newContext();
    page = await ctx.newPage();
    page.errors = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => page.errors.push(String(e)));
  });
  after(async () => {
    await browser?.close();
  });

  test('loads an example and analyses it', async () => {
    await page.goto(`${pathToFileURL(FILE).href}#example=lead-in`);
    await waitAnalysed(page);
    assert.ok((await tableRows(page)).length > 0);
    await page.waitForFunction(() => document.body.dataset.engine, null, { timeout: 20000 });
    const mode = await page.evaluate(() => document.body.dataset.engine);
    assert.ok(['worker', 'main-thread'].includes(mode), mode);
    assert.equal(mode, 'worker', 'the Blob-URL module worker starts under file://');
    assert.deepEqual(page.errors, []);
  });

  test('pasted data works', async () => {
    await pasteData(page, cohortTsv(4));
    await waitAnalysed(page);
    assert.equal((await tableRows(page)).length, 4);
  });

  test('the model fits work (the engine of the single file has them)', async () => {
    await fitModels(page);
    assert.ok((await page.$$eval('#mixed-table tbody tr', (r) => r.length)) > 0);
  });

  test('the exports and the report work (their modules are in the file)', async () => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-summary-csv')]);
    assert.match(dl.suggestedFilename(), /summaries-and-tests\.csv$/);
    await page.click('#report-btn');
    await page.waitForSelector('#report[data-ready]');
    assert.equal(await page.$$eval('#report figure canvas', (cs) => cs.filter((c) => c.width > 0).length), 6);
    await page.keyboard.press('Escape');
  });

  test('"Copy link with data" warns that a file:// link opens only on this computer; so does the embed code', async () => {
    await page.click('#share-btn');
    await page.waitForSelector('#share-note:not([hidden])');
    assert.match(await page.textContent('#share-note'), /opened from a file on this computer: the link opens only here/);
    await page.click('#embed-btn');
    await page.waitForSelector('#embed-code:not([hidden])');
    assert.match(await page.textContent('#status'), /opens only here/);
  });

  test('xlsx is refused with a message (not inlined)', async () => {
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array([80, 75, 3, 4])], 'x.xlsx'));
      document.getElementById('data').dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
    });
    await page.waitForSelector('#banner:not([hidden])');
    assert.match(await page.textContent('#banner'), /single-file/);
  });

  test('only the file itself, blob: and data: URLs are requested', () => {
    const self = pathToFileURL(FILE).href;
    const foreign = requests.filter((u) => !u.startsWith(self) && !u.startsWith('blob:') && !u.startsWith('data:'));
    assert.deepEqual(foreign, []);
  });
});
