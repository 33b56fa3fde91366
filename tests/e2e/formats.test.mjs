// Real data formats on the page (issue #21): several files dropped at once (a PRO-ACT-style
// extract) are joined on the patient id; a workbook's cover sheet is not read, and the page says
// which sheet and header row it read and lets the user change them; diagnostics name their table
// and select their line in it; the role picker offers every role the engine knows.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { session, built, waitAnalysed, tableRows, ROOT } from './helpers.mjs';
import { makeWorkbook } from './xlsx-fixture.mjs';

const PROACT = ['ALSFRS.csv', 'AlsHistory.csv', 'Treatment.csv', 'DeathData.csv', 'FVC.csv'];
const fixture = (name) => readFileSync(join(ROOT, 'tests/data/formats', name));

/** Drop several files (name, bytes, type) onto the textarea at once. */
async function dropFiles(page, files) {
  await page.evaluate(() => {
    document.body.dataset.state = 'pending';
  });
  const payload = files.map(({ name, bytes, type }) => ({ name, type, b64: Buffer.from(bytes).toString('base64') }));
  await page.$eval('#data', (ta, files) => {
    const dt = new DataTransfer();
    for (const { name, type, b64 } of files) {
      const bin = atob(b64);
      const arr = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) arr[i] = bin.charCodeAt(i);
      dt.items.add(new File([arr], name, { type }));
    }
    ta.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
    ta.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, payload);
}

describe('formats', { skip: !built() && 'page not built (node scripts/build.mjs)' }, () => {
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

  test('a PRO-ACT-style set of files dropped at once is joined on the patient id', async () => {
    await dropFiles(page, PROACT.map((name) => ({ name, bytes: fixture(`proact/${name}`), type: 'text/csv' })));
    await waitAnalysed(page);
    const text = await page.inputValue('#data');
    for (const name of PROACT) assert.ok(text.includes(`#table: ${name}\n`), `${name} in the paste area`);
    // The ALSFRS-R (shown first): 201, 203 (gastrostomy from baseline: every total kept) and 204,
    // with their arms from Treatment.csv.
    const rows = await tableRows(page);
    const heads = await page.$$eval('#patients thead th', (ths) => ths.map((th) => th.textContent.replace(/[▲▼]/g, '').trim()));
    const col = (label) => heads.indexOf(label);
    const byId = Object.fromEntries(rows.map((r) => [r[0], r]));
    assert.deepEqual(Object.keys(byId).sort(), ['201', '203', '204']);
    assert.equal(byId['201'][col('Group')], 'Active');
    assert.equal(byId['204'][col('Group')], 'Placebo');
    assert.equal(byId['203'][col('Visits')], '5', 'visits of the patient fed by gastrostomy from baseline');
    // 201's post-rate: R, -coef(lm(y ~ t))[2] with t = c(0,42,91,182,273) / md, y = c(45,43,41,38,37)
    // = 0.900538525866543 (tests/data/formats/expected.csv).
    assert.ok(Math.abs(Number(byId['201'][col('Rate after treatment (points per month)')]) - 0.9005385) < 0.006, byId['201'].join(' | '));
    // The tables read, and a diagnostic that names its table.
    assert.match(await page.textContent('#tables-read'), /ALSFRS\.csv: visits.*DeathData\.csv: patient facts/);
    assert.match(await page.textContent('#diagnostics'), /FVC\.csv, line 1: .*FVC in litres/);
  });

  test('a diagnostic of a table selects its line in the paste area', async () => {
    const button = page.locator('#diagnostics button', { hasText: 'FVC.csv, line 1:' }).first();
    await button.click();
    const selected = await page.$eval('#data', (ta) => ta.value.slice(ta.selectionStart, ta.selectionEnd));
    assert.match(selected, /^subject_id,Subject_Liters_Trial_1,/);
  });

  test('choosing one table reads it alone', async () => {
    await page.evaluate(() => (document.body.dataset.state = 'pending'));
    await page.selectOption('#sheet-choice', 'ALSFRS.csv');
    await waitAnalysed(page);
    const rows = await tableRows(page);
    assert.equal(rows.length, 3);
    assert.ok(rows.every((r) => r[1] === 'all'), 'no arms without Treatment.csv');
    assert.match(await page.textContent('#tables-read'), /FVC\.csv: not read: not the chosen sheet/);
  });

  test('a workbook: the cover sheet is not read; the header row can be changed', async () => {
    const data = [
      ['ALS clinic export'],
      [],
      ['id', 'visit_date', 'alsfrs_r'],
      ['C01', '2013-03-12', 44],
      ['C01', '2013-06-11', 42],
      ['C01', '2013-09-10', 41],
      ['C02', '2013-03-14', 38],
      ['C02', '2013-06-13', 36],
    ];
    const book = makeWorkbook([
      ['Cover', [['About this workbook'], ['Exported from the clinic database']]],
      ['Data', data],
    ]);
    await dropFiles(page, [{ name: 'clinic.xlsx', bytes: book, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }]);
    await waitAnalysed(page);
    assert.deepEqual((await tableRows(page)).map((r) => r[0]).sort(), ['C01', 'C02']);
    assert.match(await page.textContent('#tables-read'), /Cover: not read: no patient column; Data: visits, header on line 3/);
    assert.equal(await page.inputValue('#sheet-choice'), '');
    // Reading the Data sheet with its header on line 4 (a data row): an error that names the columns.
    await page.evaluate(() => (document.body.dataset.state = 'pending'));
    await page.selectOption('#sheet-choice', 'Data');
    await waitAnalysed(page);
    await page.evaluate(() => (document.body.dataset.state = 'pending'));
    await page.fill('#header-row', '4');
    await page.dispatchEvent('#header-row', 'change');
    await waitAnalysed(page, 'error');
    await page.evaluate(() => (document.body.dataset.state = 'pending'));
    await page.fill('#header-row', '3');
    await page.dispatchEvent('#header-row', 'change');
    await waitAnalysed(page);
    assert.equal((await tableRows(page)).length, 2);
  });

  test('the role picker offers every role the engine knows', async () => {
    const options = await page.$$eval('#columns select:first-of-type option', (os) => os.map((o) => o.value));
    for (const r of ['patient', 'date', 'q1', 'q12', 'q5a', 'q5b', 'alsfrs_q10', 'death_date', 'died', 'ventilation_date', 'site_of_onset', 'el_escorial', 'c9orf72', 'fvc_litres', 'ignore']) {
      assert.ok(options.includes(r), `${r} offered (${options})`);
    }
  });

  test('no console errors', () => {
    assert.deepEqual(page.consoleErrors, []);
  });
});
