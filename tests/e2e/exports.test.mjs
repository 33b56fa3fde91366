// Exports: PNG (signature), SVG (parses), CSV (header, no unescaped formula cells), JSON, embed code.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { session, built, waitAnalysed, downloadOf, pasteData, foreignRequests, cohortTsv, parseCsv } from './helpers.mjs';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);


describe('exports', { skip: !built() && 'page not built (node scripts/build.mjs)' }, () => {
  let s;
  let page;
  before(async () => {
    s = await session();
    page = await s.newPage();
    await page.goto(s.base);
    await page.waitForFunction(() => document.body.dataset.engine);
    // hostile ids: formula-looking and markup
    await pasteData(page, cohortTsv(4, { ids: ['=HYPERLINK("http://x")', '+1+1', '@SUM(A1)', '-2+3'] }));
    await waitAnalysed(page);
  });
  after(async () => {
    await s?.close();
  });

  test('CSV export has a header and no unescaped formula cell', async () => {
    const { name, bytes } = await downloadOf(page, '#export-csv');
    assert.match(name, /\.csv$/);
    const rows = parseCsv(bytes.toString('utf8'));
    assert.ok(rows.length >= 5, 'header + 4 patients');
    assert.ok(rows[0].some((h) => /patient|id/i.test(h)), `header: ${rows[0]}`);
    for (const row of rows.slice(1)) {
      for (const cell of row) {
        if (/^[=+\-@\t\r]/.test(cell)) assert.ok(cell !== '' && Number.isFinite(Number(cell)), `unescaped formula-like cell: ${cell}`);
      }
    }
    const text = bytes.toString('utf8');
    assert.ok(text.includes("'=HYPERLINK"), 'formula id neutralised with a quote');
  });

  test('JSON export is the analysis', async () => {
    const { bytes } = await downloadOf(page, '#export-json');
    const a = JSON.parse(bytes.toString('utf8'));
    assert.equal(a.patients.length, 4);
  });

  test('PNG export is a PNG', async (t) => {
    const cap = await page.textContent('#cap-waterfall');
    assert.doesNotMatch(cap, /not available/, `the chart was drawn: ${cap}`);
    const { name, bytes } = await downloadOf(page, 'button[data-png="waterfall"]');
    assert.match(name, /\.png$/);
    assert.deepEqual(bytes.subarray(0, 8), PNG_SIGNATURE);
  });

  test('SVG export parses as SVG', async (t) => {
    const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 5000 }).catch(() => null), page.click('button[data-svg="slopegraph"]')]);
    assert.ok(dl, `an SVG was downloaded (banner: ${await page.textContent('#banner')})`);
    const svg = (await import('node:fs')).readFileSync(await dl.path(), 'utf8');
    const ok = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return !doc.querySelector('parsererror') && doc.documentElement.localName === 'svg';
    }, svg);
    assert.ok(ok, 'SVG parses');
  });

  test('embed code is an iframe of ?embed=1 with the data', async () => {
    await page.click('#embed-btn');
    await page.waitForSelector('#embed-code:not([hidden])');
    const code = await page.inputValue('#embed-code');
    assert.match(code, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?embed=1#data=[A-Za-z0-9_-]+"/);
  });

  test('no foreign requests', () => {
    assert.deepEqual(foreignRequests(s.requests, s.base), []);
  });
});
