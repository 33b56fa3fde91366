// The page served over http: examples, paste, diagnostics, hostile input, embed mode, links,
// session storage, canvases, panic recovery, and no request beyond the page's own files.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { session, built, waitAnalysed, tableRows, pasteData, inkFraction, foreignRequests, cohortTsv } from './helpers.mjs';

const CHARTS = ['trajectories', 'patient', 'slopegraph', 'waterfall', 'group_mean', 'interval'];

describe('page', { skip: !built() && 'page not built (node scripts/build.mjs)' }, () => {
  let s;
  before(async () => {
    s = await session();
  });
  after(async () => {
    await s?.close();
  });

  test('loads with an example and shows a non-empty table', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=lead-in`);
    await waitAnalysed(page);
    const rows = await tableRows(page);
    assert.ok(rows.length > 0, 'table has rows');
    assert.ok((await page.inputValue('#data')).length > 100, 'example text in the textarea');
    assert.match(await page.textContent('#summary'), /patient/);
    // The worker keeps loading after the page is ready (an example is analysed on the main
    // thread meanwhile); it must come up.
    await page.waitForFunction(() => document.body.dataset.engine, null, { timeout: 20000 });
    assert.equal(await page.evaluate(() => document.body.dataset.engine), 'worker');
    assert.deepEqual(page.consoleErrors, []);
  });

  test('every example of the menu loads', async () => {
    const page = await s.newPage();
    await page.goto(s.base);
    await page.waitForSelector('#examples-list button', { state: 'attached' });
    const names = await page.$$eval('#examples-list button', (bs) => bs.map((b) => b.dataset.example));
    assert.deepEqual([...names].sort(), ['controls', 'deaths', 'items', 'lead-in', 'repeated', 'two-arm']);
    for (const name of names) {
      await page.evaluate(() => (document.body.dataset.state = 'pending'));
      await page.click('#examples-menu summary');
      await page.click(`#examples-list button[data-example="${name}"]`);
      await waitAnalysed(page);
      assert.ok((await tableRows(page)).length > 0, `${name}: table has rows`);
      assert.equal(new URL(page.url()).hash, `#example=${name}`);
    }
  });

  test('pasted tab-separated text is analysed; settings change re-analyses', async () => {
    const page = await s.newPage();
    await page.goto(s.base);
    await page.waitForFunction(() => document.body.dataset.engine);
    await pasteData(page, cohortTsv(6));
    await waitAnalysed(page);
    const rows = await tableRows(page);
    assert.equal(rows.length, 6);
    assert.deepEqual(rows.map((r) => r[0]).sort(), ['PT-001', 'PT-002', 'PT-003', 'PT-004', 'PT-005', 'PT-006']);
    const cols = await page.$$eval('#columns select', (ss) => ss.map((x) => [x.dataset.header, x.value]));
    assert.deepEqual(Object.fromEntries(cols).patient, 'patient');
    // responder threshold changes the responder column
    await page.evaluate(() => (document.body.dataset.state = 'pending'));
    await page.fill('#responder_pct', '99');
    await page.dispatchEvent('#responder_pct', 'change');
    await waitAnalysed(page);
    const resp = (await tableRows(page)).map((r) => r[6]);
    assert.ok(!resp.includes('yes'), 'nobody improves by more than 99%');
  });

  test('a column role corrected with its <select> re-analyses', async () => {
    const page = await s.newPage();
    await page.goto(s.base);
    await page.waitForFunction(() => document.body.dataset.engine);
    await pasteData(page, cohortTsv(4));
    await waitAnalysed(page);
    assert.deepEqual(new Set((await tableRows(page)).map((r) => r[1])), new Set(['treated', 'placebo']));
    await page.evaluate(() => (document.body.dataset.state = 'pending'));
    await page.selectOption('#columns select[data-header="group"]', 'ignore');
    await waitAnalysed(page);
    assert.equal(new Set((await tableRows(page)).map((r) => r[1])).size, 1, 'one group once the group column is ignored');
    assert.equal(await page.inputValue('#columns select[data-header="group"]'), 'ignore');
  });

  test('print stylesheet keeps summary, table and charts, hides the input', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=lead-in`);
    await waitAnalysed(page);
    await page.emulateMedia({ media: 'print' });
    assert.ok(await page.isHidden('#input'));
    assert.ok(await page.isHidden('#settings-panel'));
    assert.ok(await page.isVisible('#summary'));
    assert.ok(await page.isVisible('#patients'));
    assert.ok(await page.isVisible('#chart-waterfall'));
    const pdf = await page.pdf({ format: 'A4' });
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
  });

  test('bad rows give line-numbered diagnostics; the text is kept; a diagnostic selects its line', async () => {
    const page = await s.newPage();
    await page.goto(s.base);
    await page.waitForFunction(() => document.body.dataset.engine);
    const text = cohortTsv(4, { badLines: true });
    await pasteData(page, text);
    await waitAnalysed(page);
    assert.equal(await page.inputValue('#data'), text, 'textarea keeps the text');
    const lines = await page.$$eval('#diagnostics button[data-line]', (bs) => bs.map((b) => Number(b.dataset.line)));
    assert.ok(lines.includes(4), `a diagnostic for line 4 (got ${lines})`);
    await page.click('#diagnostics button[data-line="4"]');
    const sel = await page.$eval('#data', (ta) => ta.value.slice(ta.selectionStart, ta.selectionEnd));
    assert.equal(sel, text.split('\n')[3]);
  });

  test('unusable input shows a message and keeps the text', async () => {
    const page = await s.newPage();
    await page.goto(s.base);
    await page.waitForFunction(() => document.body.dataset.engine);
    await pasteData(page, 'hello\nworld\n');
    await waitAnalysed(page, 'error');
    assert.ok(!(await page.isHidden('#banner')));
    assert.equal(await page.inputValue('#data'), 'hello\nworld\n');
  });

  test('large data (> 512 KB) is held whole and previewed: all analysed, kept, saved, editable on request', async () => {
    const page = await s.newPage();
    await page.goto(s.base);
    await page.waitForFunction(() => document.body.dataset.engine);
    const text = cohortTsv(2500, { badLines: true });
    assert.ok(text.length > 512 * 1024, `${text.length} characters`);
    const lines = text.split('\n').length - 1;
    await pasteData(page, text);
    await waitAnalysed(page);
    assert.equal(await page.evaluate(() => new Set(window.alsAnalysis().patients.map((p) => p.id)).size), 2500, 'every patient analysed');
    // only a preview is laid out, read-only; the note says how much is held
    const shown = await page.inputValue('#data');
    assert.equal(shown, text.split('\n').slice(0, 200).join('\n') + '\n', 'the first 200 lines are shown');
    assert.equal(await page.$eval('#data', (ta) => ta.readOnly), true);
    assert.match(await page.textContent('#held'), new RegExp(`first 200 of ${lines.toLocaleString('en')} lines`));
    // a diagnostic inside the preview selects its line; one beyond it says so
    await page.click('#diagnostics button[data-line="4"]');
    assert.equal(await page.$eval('#data', (ta) => ta.value.slice(ta.selectionStart, ta.selectionEnd)), text.split('\n')[3]);
    // the whole text is saved as a file, and comes back into the box on request
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#held-save')]);
    const { readFileSync } = await import('node:fs');
    assert.equal(readFileSync(await dl.path(), 'utf8'), text, 'the saved file is the whole text');
    await page.click('#held-edit');
    assert.equal(await page.inputValue('#data'), text, 'the box holds the whole text again');
    assert.equal(await page.$eval('#data', (ta) => ta.readOnly), false);
    assert.equal(await page.isHidden('#held'), true);
    // a small paste over it is an ordinary paste again
    await pasteData(page, cohortTsv(3));
    await waitAnalysed(page);
    assert.equal(await page.inputValue('#data'), cohortTsv(3));
    assert.equal(await page.evaluate(() => window.alsAnalysis().patients.length), 3);
    assert.deepEqual(page.consoleErrors, []);
  });

  test('a hostile patient id is shown as text and runs nothing', async () => {
    const page = await s.newPage();
    await page.goto(s.base);
    await page.waitForFunction(() => document.body.dataset.engine);
    const hostile = '<img src=x onerror=alert(1)>';
    await pasteData(page, cohortTsv(3, { ids: [hostile] }));
    await waitAnalysed(page);
    const ids = (await tableRows(page)).map((r) => r[0]);
    assert.ok(ids.includes(hostile), `id shown literally (got ${ids})`);
    await page.click(`#patients tbody tr[data-id="${hostile.replace(/"/g, '\\"')}"] button`).catch(() => {});
    await page.waitForTimeout(300);
    assert.equal(await page.$$eval('img', (imgs) => imgs.length), 0, 'no <img> element was created');
    assert.deepEqual(page.dialogs, []);
  });

  test('?embed=1 shows the compact view: the summary and charts, not the data, settings or table', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}?embed=1#example=controls`);
    await waitAnalysed(page);
    assert.ok(await page.isHidden('#input'));
    assert.ok(await page.isHidden('#settings-panel'));
    assert.ok(await page.isHidden('#patients'));
    assert.ok(await page.isVisible('#summary'));
    assert.match(await page.textContent('#summary'), /patient/);
    assert.ok(await page.isVisible('#chart-trajectories'));
    assert.ok((await tableRows(page)).length > 0, 'the result is there (the table is only hidden)');
  });

  test('#data= link round-trips text and settings', async () => {
    const page = await s.newPage();
    await page.goto(s.base);
    await page.waitForFunction(() => document.body.dataset.engine);
    const text = cohortTsv(5);
    await pasteData(page, text);
    await waitAnalysed(page);
    await page.fill('#responder_pct', '40');
    await page.dispatchEvent('#responder_pct', 'change');
    await page.click('#share-btn');
    await page.waitForFunction(() => location.hash.startsWith('#data='));
    const url = page.url();
    const other = await s.newPage();
    await other.goto(url);
    await waitAnalysed(other);
    assert.equal(await other.inputValue('#data'), text);
    assert.equal(await other.inputValue('#responder_pct'), '40');
    assert.equal((await tableRows(other)).length, 5);
  });

  test('a reload keeps pasted text and settings (sessionStorage), Clear removes them', async () => {
    const page = await s.newPage();
    await page.goto(s.base);
    await page.waitForFunction(() => document.body.dataset.engine);
    const text = cohortTsv(3);
    await pasteData(page, text);
    await waitAnalysed(page);
    await page.selectOption('#time_origin', 'first_visit');
    await page.waitForTimeout(400);
    await page.reload();
    await waitAnalysed(page);
    assert.equal(await page.inputValue('#data'), text);
    assert.equal(await page.inputValue('#time_origin'), 'first_visit');
    assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing in localStorage');
    await page.click('#clear-btn');
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.engine);
    assert.equal(await page.inputValue('#data'), '');
  });

  test('canvases are sized for devicePixelRatio 2 and not blank', async (t) => {
    const page = await s.newPage({ deviceScaleFactor: 2 });
    await page.goto(`${s.base}#example=lead-in`);
    await waitAnalysed(page);
    await page.waitForFunction(() => document.querySelectorAll('canvas[data-drawn="1"]').length === 6 || /not available/.test(document.getElementById('cap-trajectories').textContent), null, { timeout: 15000 });
    const cap = await page.textContent('#cap-trajectories');
    assert.doesNotMatch(cap, /not available/, `the chart was drawn: ${cap}`);
    await page.click('#patients tbody tr button');
    await page.waitForTimeout(300);
    for (const name of CHARTS) {
      const sel = `#chart-${name}`;
      const { w, h, cw, ch } = await page.$eval(sel, (c) => ({ w: c.width, h: c.height, cw: c.clientWidth, ch: c.clientHeight }));
      assert.ok(Math.abs(w - 2 * cw) <= 2 && Math.abs(h - 2 * ch) <= 2, `${name}: backing ${w}x${h} for CSS ${cw}x${ch}`);
      assert.ok((await inkFraction(page, sel)) > 0.005, `${name}: canvas has ink`);
      assert.ok((await page.textContent(`#cap-${name}`)).trim().length > 10, `${name}: text alternative`);
    }
  });


  test('charts are redrawn at the new size when the window is resized, and only then', async () => {
    const page = await s.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${s.base}#example=lead-in`);
    await waitAnalysed(page);
    await page.waitForFunction(() => document.body.dataset.charts === 'drawn');
    await page.waitForTimeout(300);
    const draws = () => page.evaluate(() => performance.getEntriesByName('als:chart:trajectories').length);
    const before = await draws();
    assert.equal(before, 1, 'the example is drawn once (no second draw for the first layout)');
    const w0 = await page.$eval('#chart-trajectories', (c) => c.width);
    await page.setViewportSize({ width: 700, height: 900 });
    await page.waitForFunction((w) => document.getElementById('chart-trajectories').width !== w && document.body.dataset.charts === 'drawn', w0, { timeout: 10000 });
    const { w, cw } = await page.$eval('#chart-trajectories', (c) => ({ w: c.width, cw: c.clientWidth }));
    assert.ok(w !== w0 && Math.abs(w - cw) <= 2, `backing store ${w} follows the new CSS width ${cw} (was ${w0})`);
    assert.ok((await inkFraction(page, '#chart-trajectories')) > 0.005, 'redrawn chart has ink');
    assert.ok((await draws()) > before);
  });
  test('clicking a point selects its patient; the measure select switches table and charts', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=lead-in`);
    await waitAnalysed(page);
    await page.waitForFunction(() => document.body.dataset.charts === 'drawn');
    const hit = (await page.evaluate(() => window.alsHits('waterfall')))[0];
    assert.ok(hit, 'the waterfall chart reports hits');
    const box = await page.$eval('#chart-waterfall', (c) => {
      c.scrollIntoView({ block: 'center' });
      return c.getBoundingClientRect().toJSON();
    });
    await page.mouse.click(box.x + hit.x, box.y + hit.y);
    await page.waitForFunction((id) => document.getElementById('explain').textContent.includes(`Patient ${id}`), hit.id);
    assert.equal(await page.$eval('#patients tr.selected', (tr) => tr.dataset.id), hit.id);
    const measures = await page.$$eval('#measure option', (os) => os.map((o) => o.value));
    assert.ok(measures.length > 1, `several measures in the example (${measures})`);
    await page.selectOption('#measure', measures[1]);
    // Wait for what is asserted: the analysis of the measure chosen on the page, its table and
    // its charts (the old result's charts can be 'drawn' while the switch is still in flight).
    await page.waitForFunction(
      (m) => document.body.dataset.state === 'ready' && document.body.dataset.charts === 'drawn' && window.alsAnalysis()?.measures?.[0] === m,
      measures[1],
      { timeout: 30000 },
    );
    const ids = (await tableRows(page)).length;
    assert.ok(ids > 0);
    const want = (await page.evaluate(() => window.alsAnalysis().patients)).filter((p) => p.measure === measures[1]).length;
    assert.equal(ids, want);
    assert.match(await page.textContent('#patients caption'), new RegExp(await page.$eval('#measure', (s) => s.selectedOptions[0].textContent.replace(/[()]/g, '.'))), 'the table is of the measure chosen');
  });

  test('an engine panic is reported, the engine restarts, text and settings are kept', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=lead-in`);
    await waitAnalysed(page);
    const text = await page.inputValue('#data');
    await page.fill('#responder_pct', '30');
    await page.evaluate(() => (document.body.dataset.state = 'pending'));
    await page.evaluate(() => window.alsDebugPanic());
    await waitAnalysed(page, 'error');
    assert.ok(await page.isVisible('#banner'));
    assert.match(await page.textContent('#banner'), /internal error/i);
    assert.equal(await page.inputValue('#data'), text);
    assert.equal(await page.inputValue('#responder_pct'), '30');
    // the restarted engine works
    await page.evaluate(() => (document.body.dataset.state = 'pending'));
    await page.click('#analyze-btn');
    await waitAnalysed(page);
    assert.ok((await tableRows(page)).length > 0);
  });

  test('a panic on the main thread re-instantiates the module; charts still draw', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=lead-in`);
    await waitAnalysed(page);
    const r = await page.evaluate(() => window.alsDebugPanicMainThread());
    assert.equal(r.kind, 'panic');
    assert.match(r.message, /debug panic/);
    assert.equal(r.after, 8, 'the re-instantiated module answers (its vocabulary: eight measures)');
    assert.ok(await page.isVisible('#banner'));
    await page.evaluate(() => (document.body.dataset.state = 'pending'));
    await page.selectOption('#error_bars', 'se');
    await page.click('#analyze-btn');
    await waitAnalysed(page);
    await page.waitForTimeout(300);
    assert.ok((await inkFraction(page, '#chart-group_mean')) > 0.005, 'charts draw after the reset');
  });

  test('no request other than the page\'s own files during the whole session', () => {
    assert.ok(s.requests.length > 0);
    assert.deepEqual(foreignRequests(s.requests, s.base), []);
    const paths = new Set(s.requests.filter((u) => u.startsWith(s.base)).map((u) => new URL(u).pathname));
    for (const p of paths) assert.ok(p === '/' || p === '/index.html' || p.startsWith('/www/'), `unexpected path ${p}`);
  });
});
