// Survival endpoints (#22) on the page: the deaths example draws the Kaplan–Meier chart and the
// CAFS panel (computed by the extras module after the first paint), the summary says the medians,
// log-rank, hazard ratio and CAFS in the engine's words, and both charts export as PNG and SVG.
// Data without endpoints shows neither chart (no empty frames).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { session, built, waitAnalysed, downloadOf, inkFraction } from './helpers.mjs';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('survival charts', { skip: !built() && 'page not built (node scripts/build.mjs)' }, () => {
  let s;
  let page;
  before(async () => {
    s = await session();
    page = await s.newPage();
  });
  after(async () => {
    await s?.close();
  });

  test('the deaths example draws the Kaplan–Meier chart and the CAFS panel, and says the numbers', async () => {
    await page.goto(`${s.base}#example=deaths`);
    await waitAnalysed(page);
    await page.waitForFunction(() => document.getElementById('chart-survival')?.dataset.drawn === '1' && document.getElementById('chart-cafs')?.dataset.drawn === '1', null, { timeout: 60000 });
    for (const name of ['survival', 'cafs']) {
      assert.equal(await page.$eval(`figure[data-chart="${name}"]`, (f) => f.hidden), false, `${name} shown`);
      assert.ok((await inkFraction(page, `#chart-${name}`)) > 0.01, `${name} has ink`);
    }
    assert.match(await page.textContent('#cap-survival'), /Kaplan–Meier curves of time to death .*Placebo: 20 patients, 13 events, median 10\.8 months \(95% CI 5\.8–NA\)/);
    assert.match(await page.textContent('#cap-cafs'), /CAFS scores of 40 patients, Placebo vs Active/);
    const summary = await page.textContent('#summary');
    assert.match(summary, /Time to death — Placebo: 13 of 20 events, median 10\.8 months \(95% CI 5\.8–NA\)/);
    assert.match(summary, /Placebo vs Active: log-rank χ² = 4\.07 \(df 1\), p = 0\.044\d*/);
    assert.match(summary, /Cox \(Efron ties\) HR 0\.40 \(95% CI 0\.16–1\.00\)/);
    assert.match(summary, /CAFS Placebo vs Active: mean score -9\.90 vs 9\.90, Mann-Whitney p = 0\.008/);
    const a = await page.evaluate(() => window.alsAnalysis());
    assert.equal(a.survival.length, 4, 'two groups × two endpoints');
    assert.equal(a.cafs[0].patients.length, 40);
  });

  test('both survival charts export as PNG and SVG', async () => {
    for (const name of ['survival', 'cafs']) {
      const png = await downloadOf(page, `button[data-png="${name}"]`);
      assert.deepEqual(png.bytes.subarray(0, 8), PNG_SIGNATURE, `${name}.png`);
      const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 20000 }), page.click(`button[data-svg="${name}"]`)]);
      const svg = readFileSync(await dl.path(), 'utf8');
      assert.match(svg, name === 'survival' ? /Number at risk/ : /CAFS: Placebo vs Active/, `${name}.svg has the data (banner: ${await page.textContent('#banner')})`);
    }
  });

  test('data without endpoints shows no survival chart', async () => {
    await page.goto(`${s.base}#example=lead-in`);
    await waitAnalysed(page);
    await page.waitForFunction(() => document.body.dataset.charts === 'drawn');
    for (const name of ['survival', 'cafs']) {
      assert.equal(await page.$eval(`figure[data-chart="${name}"]`, (f) => f.hidden), true, `${name} hidden`);
    }
    assert.doesNotMatch(await page.textContent('#summary'), /Time to death/);
  });
});
