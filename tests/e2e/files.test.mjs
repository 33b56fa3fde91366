// Files: dropped CSV, dropped XLSX (loads the on-demand xlsx module), the "Open file" input.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { session, built, waitAnalysed, tableRows, dropFile, foreignRequests, cohortTsv, fitModels } from './helpers.mjs';
import { makeXlsx } from './xlsx-fixture.mjs';

const toCsv = (tsv) => tsv.replace(/\t/g, ',');
const toRows = (tsv) => tsv.trim().split('\n').map((l) => l.split('\t').map((c, i) => (i === 2 || i === 3) && c !== '' && !Number.isNaN(Number(c)) ? Number(c) : c));

describe('files', { skip: !built() && 'page not built (node scripts/build.mjs)' }, () => {
  let s;
  let page;
  before(async () => {
    s = await session();
    page = await s.newPage();
    await page.goto(s.base);
    await page.waitForFunction(() => document.body.dataset.engine);
  });
  after(async () => {
    await s?.close();
  });

  test('a dropped CSV file is read and analysed', async () => {
    const csv = toCsv(cohortTsv(4));
    await dropFile(page, 'cohort.csv', Buffer.from(csv), 'text/csv');
    await waitAnalysed(page);
    assert.equal(await page.inputValue('#data'), csv);
    assert.equal((await tableRows(page)).length, 4);
  });

  test('a dropped XLSX file is read with the on-demand xlsx module', async () => {
    const xlsx = makeXlsx(toRows(cohortTsv(5)));
    const before = s.requests.length;
    await dropFile(page, 'cohort.xlsx', xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    await waitAnalysed(page);
    assert.equal((await tableRows(page)).length, 5);
    assert.match(await page.inputValue('#data'), /^patient\tgroup\tmonth\talsfrs_r\tevent/);
    const loaded = s.requests.slice(before).map((u) => new URL(u).pathname);
    assert.ok(loaded.includes('/www/pkg/xlsx/als_xlsx_wasm.js'), `xlsx module loaded on demand (${loaded})`);
  });

  test('the xlsx module is not loaded at start', async () => {
    const p2 = await s.newPage();
    const n = s.requests.length;
    await p2.goto(`${s.base}#example=lead-in`);
    await waitAnalysed(p2);
    assert.ok(!s.requests.slice(n).some((u) => u.includes('/xlsx/')));
  });

  test('the models module loads only when the model fits are asked for', async () => {
    const p2 = await s.newPage();
    const n = s.requests.length;
    await p2.goto(`${s.base}#example=two-arm`);
    await waitAnalysed(p2);
    await p2.waitForFunction(() => document.body.dataset.charts === 'drawn' && document.body.dataset.models === 'offered');
    await p2.waitForTimeout(300);
    assert.ok(!s.requests.slice(n).some((u) => u.includes('/models/')), 'not loaded at start');
    assert.equal(await p2.isVisible('#fit-models'), true);
    await fitModels(p2);
    const loaded = s.requests.slice(n).map((u) => new URL(u).pathname);
    assert.ok(loaded.includes('/www/pkg/extras/als_extras_wasm.js'), `models module loaded on demand (${loaded})`);
    assert.ok((await p2.$$eval('#mixed-table tbody tr', (r) => r.length)) > 0, 'the models table is filled');
    assert.match(await p2.textContent('#models-words'), /points per month/);
    assert.equal(await p2.isVisible('#fit-models'), false);
    // asked for once, the models are refitted after the next analysis without a click
    await p2.selectOption('#pre_source', 'onset');
    await p2.waitForFunction(() => document.body.dataset.models === 'done' && document.body.dataset.state === 'ready', null, { timeout: 60000 });
    await p2.close();
  });

  test('Open file input reads a TSV', async () => {
    const tsv = cohortTsv(3);
    await page.evaluate(() => (document.body.dataset.state = 'pending'));
    await page.setInputFiles('#file', { name: 'c.tsv', mimeType: 'text/tab-separated-values', buffer: Buffer.from(tsv) });
    await waitAnalysed(page);
    assert.equal((await tableRows(page)).length, 3);
  });

  test('no foreign requests', () => {
    assert.deepEqual(foreignRequests(s.requests, s.base), []);
  });
});
