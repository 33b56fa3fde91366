// Exports: PNG (signature; at least 1600 pixels wide, or the size chosen, with its resolution in
// the file), SVG (parses; its own size, whatever the window), all charts in one ZIP, CSV (header,
// no unescaped formula cells; every measure; group summaries and tests), JSON, embed code; every
// export disabled without a result.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { session, built, waitAnalysed, downloadOf, pasteData, foreignRequests, cohortTsv, parseCsv, pngInfo, unzipStored } from './helpers.mjs';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);


describe('CSV exports of every measure', { skip: !built() && 'page not built (node scripts/build.mjs)' }, () => {
  let s;
  let page;
  before(async () => {
    s = await session();
    page = await s.newPage();
    // ALSFRS (0–40) and FVC: the page shows one at a time
    await page.goto(`${s.base}#example=two-arm`);
    await waitAnalysed(page);
  });
  after(async () => {
    await s?.close();
  });

  test('the results CSV has every measure of the data, not only the one shown', async () => {
    const shown = await page.evaluate(() => window.alsAnalysis().measures);
    assert.equal(shown.length, 1, 'the page analyses the measure shown');
    const rows = parseCsv((await downloadOf(page, '#export-csv')).bytes.toString('utf8'));
    const m = rows[0].indexOf('measure');
    const measures = new Set(rows.slice(1).map((r) => r[m]));
    const present = await page.$$eval('#measure option', (os) => os.map((o) => o.value));
    assert.deepEqual([...measures].sort(), [...present].sort());
    const patients = await page.evaluate(() => new Set(window.alsAnalysis().patients.map((p) => p.id)).size);
    assert.equal(rows.length - 1, patients * present.length, 'a row per patient and measure');
  });

  test('the second CSV: group summaries, responders and tests of every measure, with the unit of each row', async () => {
    const { name, bytes } = await downloadOf(page, '#export-summary-csv');
    assert.equal(name, 'als-progression-summaries-and-tests.csv');
    const [header, ...rows] = parseCsv(bytes.toString('utf8'));
    assert.deepEqual(header.slice(0, 6), ['table', 'measure', 'group', 'variable', 'unit', 'n']);
    assert.ok(['p_value', 'statistic', 'method', 'median'].every((h) => header.includes(h)));
    const col = (h) => header.indexOf(h);
    assert.deepEqual(new Set(rows.map((r) => r[0])), new Set(['summary', 'responders', 'test']));
    const fvc = rows.filter((r) => r[1] === 'fvc' && r[0] === 'summary' && r[3].endsWith('rate'));
    assert.ok(fvc.length > 0 && fvc.every((r) => r[col('unit')] === '% predicted per month'), 'FVC rates in % predicted per month');
    assert.ok(rows.filter((r) => r[1] === 'alsfrs' && r[3] === 'pre_rate').every((r) => r[col('unit')] === 'points per month'));
    // the page's own tests of the measure shown are rows of it, with the same p-values
    const tests = await page.evaluate(() => window.alsAnalysis().tests);
    for (const t of tests) {
      const row = rows.find((r) => r[0] === 'test' && r[1] === t.measure && r[2] === t.group && r[3] === t.variable && r[col('test')] === t.kind);
      assert.ok(row, `${t.kind} ${t.group} ${t.variable}`);
      if (t.p_value != null) assert.ok(Math.abs(Number(row[col('p_value')]) - t.p_value) < 1e-9);
    }
  });
});

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
    assert.match(code, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?embed=1&amp;charts=[a-z_,]+#data=[A-Za-z0-9_-]+"[^>]* width="800" height="600"/);
  });

  test('PNG: at least 1600 pixels wide by default, with its resolution stored (pHYs)', async () => {
    await page.selectOption('#export-size', 'screen');
    const { bytes } = await downloadOf(page, 'button[data-png="trajectories"]');
    const png = pngInfo(bytes);
    const css = await page.$eval('#chart-trajectories', (c) => c.clientWidth);
    assert.ok(png.width >= 1600, `${png.width} pixels wide`);
    assert.ok(Math.abs(png.height / png.width - 0.62) < 0.01, `${png.width} × ${png.height}`);
    assert.ok(png.dpi, 'a pHYs chunk');
    // the resolution at which it prints at its size on the page (96 CSS px per inch)
    assert.ok(Math.abs(png.dpi[0] - (96 * png.width) / css) < 1, `${png.dpi[0]} dpi for ${png.width} pixels of a ${css}-pixel chart`);
  });

  test('PNG at a journal column width and resolution: 85 mm at 300 dpi is 1004 pixels, stored as 300 dpi', async () => {
    await page.selectOption('#export-size', '85');
    await page.fill('#export-dpi', '300');
    const { bytes } = await downloadOf(page, 'button[data-png="waterfall"]');
    const png = pngInfo(bytes);
    assert.equal(png.width, 1004);
    assert.ok(Math.abs(png.height - 1004 * 0.62) <= 4, `${png.height}`);
    assert.ok(Math.abs(png.dpi[0] - 300) < 0.1 && Math.abs(png.dpi[1] - 300) < 0.1, `${png.dpi}`);
    await page.selectOption('#export-size', 'custom');
    await page.fill('#export-mm', '174');
    await page.fill('#export-dpi', '600');
    const big = pngInfo((await downloadOf(page, 'button[data-png="waterfall"]')).bytes);
    assert.equal(big.width, Math.round((174 / 25.4) * 600));
    assert.ok(Math.abs(big.dpi[0] - 600) < 0.1);
    await page.selectOption('#export-size', 'screen');
  });

  test('SVG: a size of its own, not the window\'s; in millimetres when a printed width is chosen', async () => {
    const svgSize = async () => {
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click('button[data-svg="group_mean"]')]);
      const svg = (await import('node:fs')).readFileSync(await dl.path(), 'utf8');
      return svg.match(/^<svg[^>]*>/)[0].match(/ (width|height|viewBox)="[^"]*"/g).join('');
    };
    const wide = await svgSize();
    await page.setViewportSize({ width: 700, height: 900 });
    await page.waitForFunction(() => document.body.dataset.charts === 'drawn');
    const narrow = await svgSize();
    await page.setViewportSize({ width: 1280, height: 900 });
    assert.equal(narrow, wide, 'the same size at another window width');
    await page.selectOption('#export-size', '85');
    assert.match(await svgSize(), / width="85.0mm" height="52.\dmm"/);
    await page.selectOption('#export-size', 'screen');
  });

  // #25: the text laid out for the exported size (the page passes width_mm/height_mm).
  test('SVG: every text at least 9 pt at its printed size', async () => {
    await page.selectOption('#export-size', '85');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('button[data-svg="waterfall"]')]);
    const svg = (await import('node:fs')).readFileSync(await dl.path(), 'utf8');
    await page.selectOption('#export-size', 'screen');
    const [, mm, viewW] = svg.match(/^<svg width="([\d.]+)mm"[^>]* viewBox="0 0 ([\d.]+) /);
    const pt = (px) => ((Number(px) * Number(mm)) / Number(viewW) / 25.4) * 72;
    const sizes = [...svg.matchAll(/font-size="([\d.]+)/g)].map((m) => pt(m[1]));
    assert.ok(sizes.length > 0);
    assert.ok(Math.min(...sizes) >= 9 - 1e-9, `smallest text ${Math.min(...sizes).toFixed(2)} pt`);
  });

  test('"Download all charts": one ZIP with each chart as PNG and SVG, and their captions', async () => {
    const { name, bytes } = await downloadOf(page, '#zip-btn');
    assert.equal(name, 'als-progression-charts.zip');
    const files = unzipStored(bytes);
    const charts = ['trajectories', 'patient', 'slopegraph', 'waterfall', 'group_mean', 'interval'];
    assert.deepEqual(files.map((f) => f.name).sort(), [...charts.flatMap((c) => [`${c}.png`, `${c}.svg`]), 'captions.txt'].sort());
    for (const f of files) {
      assert.equal(f.crc, crc32(f.bytes), `${f.name}: CRC-32`);
      if (f.name.endsWith('.png')) assert.ok(pngInfo(f.bytes).width >= 1600 && pngInfo(f.bytes).dpi, f.name);
      if (f.name.endsWith('.svg')) assert.match(f.bytes.toString('utf8'), /^<svg[\s\S]*<\/svg>\s*$/, f.name);
    }
    assert.match(files.find((f) => f.name === 'captions.txt').bytes.toString('utf8'), /^trajectories: \S/);
  });

  test('no foreign requests', () => {
    assert.deepEqual(foreignRequests(s.requests, s.base), []);
  });
});
