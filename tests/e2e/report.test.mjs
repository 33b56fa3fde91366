// The report (issue #25, "Print"): rendered to PDF as Chromium prints it (A4), it has 2–4 pages
// for every example and every chart in it, with its title, date, data source, settings, summary,
// patients, tests and models; it closes back to the page. The page's own print stylesheet keeps
// the charts' proportions.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { session, built, waitAnalysed, fitModels, pdfInfo, axeViolations } from './helpers.mjs';

const EXAMPLES = ['lead-in', 'controls', 'repeated', 'two-arm'];
const CHARTS = ['trajectories', 'patient', 'slopegraph', 'waterfall', 'group_mean', 'interval'];

async function openReport(page) {
  await page.click('#report-btn');
  await page.waitForSelector('#report[data-ready]');
}

describe('report', { skip: !built() && 'page not built (node scripts/build.mjs)' }, () => {
  let s;
  before(async () => {
    s = await session();
  });
  after(async () => {
    await s?.close();
  });

  for (const name of EXAMPLES) {
    test(`${name}: the report prints on 2–4 A4 pages with all six charts`, async () => {
      const page = await s.newPage();
      await page.goto(`${s.base}#example=${name}`);
      await waitAnalysed(page);
      await page.waitForFunction(() => document.body.dataset.charts === 'drawn');
      // with the model fits (their table is the longest part)
      await fitModels(page);
      await page.click('#patients tbody tr button');
      await openReport(page);
      const text = await page.textContent('#report');
      assert.match(text, /ALS progression: report/);
      assert.match(text, /Made on \d{4}-\d\d-\d\d \d\d:\d\d/, 'dated');
      assert.match(text, new RegExp(`Source: the example "${name}"`), 'the data source');
      const a = await page.evaluate(() => window.alsAnalysis());
      assert.match(text, new RegExp(`${a.input.n_rows} rows, ${new Set(a.patients.map((p) => p.id)).size} patients`), 'rows and patients');
      assert.match(text, new RegExp(`Months of ${a.settings.month_days} days`), 'the settings used');
      assert.ok(text.includes((await page.textContent('#summary')).slice(0, 60)), 'the summary');
      assert.equal(await page.$$eval('#report table:first-of-type tbody tr', (r) => r.length), a.patients.length, 'every patient');
      assert.ok(await page.$$eval('#report table', (ts) => ts.length >= 3), 'patients, tests and models');
      const figs = await page.$$eval('#report figure canvas', (cs) => cs.map((c) => ({ w: c.width, label: c.getAttribute('aria-label') })));
      assert.equal(figs.length, 6);
      for (const f of figs) assert.ok(f.w >= 900 && f.label.length > 10, `a chart drawn at print size: ${JSON.stringify(f)}`);
      // the page itself is hidden behind the report, on screen and on paper
      assert.ok(await page.isHidden('#input'));
      assert.ok(await page.isHidden('#results'));
      const pdf = pdfInfo(await page.pdf({ format: 'A4' }));
      assert.ok(pdf.pages >= 2 && pdf.pages <= 4, `${pdf.pages} pages`);
      assert.ok(pdf.images >= CHARTS.length, `${pdf.images} images: every chart is in it`);
      assert.deepEqual(page.consoleErrors, []);
    });
  }

  test('the report passes axe-core; Escape and "Back to the page" close it, the focus back on its button', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=lead-in`);
    await waitAnalysed(page);
    await openReport(page);
    assert.deepEqual(await axeViolations(page), []);
    await page.keyboard.press('Escape');
    assert.equal(await page.$('#report'), null);
    assert.ok(await page.isVisible('#results'));
    assert.equal(await page.evaluate(() => document.activeElement.id), 'report-btn');
    await openReport(page);
    await page.click('#report .bar button:nth-child(2)');
    assert.equal(await page.$('#report'), null);
    assert.ok(await page.isVisible('#charts'));
  });

  test('printing the page itself: the charts keep their proportions', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=lead-in`);
    await waitAnalysed(page);
    await page.waitForFunction(() => document.body.dataset.charts === 'drawn');
    await page.emulateMedia({ media: 'print' });
    for (const name of CHARTS) {
      const r = await page.$eval(`#chart-${name}`, (c) => ({ ratio: c.clientHeight / c.clientWidth, drawn: c.height / c.width }));
      assert.ok(Math.abs(r.ratio - r.drawn) < 0.02, `${name}: printed ${r.ratio.toFixed(3)}, drawn ${r.drawn.toFixed(3)}`);
    }
    assert.ok(await page.isHidden('#start'));
  });
});
