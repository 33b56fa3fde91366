// The page as clinicians and educators use it (issue #25): phone and tablet widths without
// sideways scrolling, the examples menu on screen and closed by Escape, axe-core on every example
// and on the embed view, the keyboard (sorting, the charts), the pointer's ids, the first visit,
// clearing, a failed analysis, and the embed view in an 800 × 600 frame.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { session, built, waitAnalysed, tableRows, pasteData, cohortTsv, axeViolations, horizontalOverflow, downloadOf, fitModels } from './helpers.mjs';

const EXAMPLES = ['lead-in', 'controls', 'repeated', 'two-arm'];
const CHARTS = ['trajectories', 'patient', 'slopegraph', 'waterfall', 'group_mean', 'interval'];
const drawn = (page) => page.waitForFunction(() => document.body.dataset.state === 'ready' && document.body.dataset.charts === 'drawn', null, { timeout: 30000 });

describe('the page on phones, with the keyboard and a screen reader', { skip: !built() && 'page not built (node scripts/build.mjs)' }, () => {
  let s;
  before(async () => {
    s = await session();
  });
  after(async () => {
    await s?.close();
  });

  for (const [width, height] of [[360, 740], [390, 844], [820, 1180]]) {
    test(`${width} × ${height}: no sideways scrolling, charts within the screen, the examples menu on screen and closed by Escape`, async () => {
      const page = await s.newPage({ viewport: { width, height }, deviceScaleFactor: 2 });
      await page.goto(s.base);
      await page.waitForSelector('#start:not([hidden])');
      assert.equal(await horizontalOverflow(page), 0, 'the first visit');
      await page.goto(`${s.base}#example=two-arm`);
      await drawn(page);
      assert.equal(await horizontalOverflow(page), 0, 'with results');
      for (const name of CHARTS) {
        const r = await page.$eval(`#chart-${name}`, (c) => c.getBoundingClientRect().toJSON());
        assert.ok(r.left >= 0 && r.right <= width, `${name}: ${r.left}–${r.right} within 0–${width}`);
      }
      await page.evaluate(() => scrollTo(0, 0));
      await page.click('#examples-menu summary');
      const menu = await page.$eval('#examples-list', (e) => e.getBoundingClientRect().toJSON());
      assert.ok(menu.left >= 0 && menu.right <= width, `menu ${menu.left}–${menu.right} within 0–${width}`);
      assert.equal(await horizontalOverflow(page), 0, 'with the menu open');
      await page.keyboard.press('Escape');
      assert.equal(await page.$eval('#examples-menu', (d) => d.open), false, 'Escape closes the menu');
      assert.equal(await page.evaluate(() => document.activeElement.closest('summary') !== null), true, 'the focus is back on its button');
      assert.deepEqual(page.consoleErrors, []);
    });
  }

  test('axe-core: no serious or critical violation on any example, at 1280 and 390 pixels', async () => {
    for (const viewport of [{ width: 1280, height: 900 }, { width: 390, height: 844 }]) {
      const page = await s.newPage({ viewport });
      for (const name of EXAMPLES) {
        await page.goto(`${s.base}#example=${name}`);
        await drawn(page);
        await page.click('#patients tbody tr button');
        assert.deepEqual(await axeViolations(page), [], `${name} at ${viewport.width} px`);
      }
      // the first visit (a new tab: nothing in its session store), and the examples menu open
      const first = await s.newPage({ viewport });
      await first.goto(s.base);
      await first.waitForSelector('#start:not([hidden])');
      await first.click('#examples-menu summary');
      assert.deepEqual(await axeViolations(first), [], `the first visit at ${viewport.width} px`);
    }
  });

  test('axe-core: no serious or critical violation on the embed view, with the models fitted', async () => {
    const page = await s.newPage({ viewport: { width: 800, height: 600 } });
    await page.goto(`${s.base}?embed=1#example=controls`);
    await drawn(page);
    assert.deepEqual(await axeViolations(page), []);
    await fitModels(page);
    assert.deepEqual(await axeViolations(page), [], 'with the fits');
  });

  test('each chart is named by its caption', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=lead-in`);
    await drawn(page);
    for (const name of CHARTS) {
      const { label, caption } = await page.$eval(`#chart-${name}`, (c) => ({ label: document.getElementById(c.getAttribute('aria-labelledby')).textContent, caption: c.closest('figure').querySelector('figcaption').textContent }));
      assert.ok(caption.length > 10 && label === caption, `${name}: named "${label}"`);
    }
    const snapshot = await page.locator('#chart-waterfall').ariaSnapshot();
    assert.match(snapshot, /img/, snapshot);
  });

  test('sorting a column with the keyboard keeps the focus on its header', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=lead-in`);
    await waitAnalysed(page);
    await page.focus('#patients button.sort[data-key="improvement_pct"]');
    await page.keyboard.press('Enter');
    const after = await page.evaluate(() => ({ key: document.activeElement.dataset.key, sort: document.activeElement.closest('th').getAttribute('aria-sort') }));
    assert.deepEqual(after, { key: 'improvement_pct', sort: 'ascending' });
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.closest('th').getAttribute('aria-sort')), 'descending', 'Enter again sorts the other way, the focus still there');
    const values = (await tableRows(page)).map((r) => parseFloat(r[5])).filter((x) => Number.isFinite(x));
    assert.deepEqual(values, [...values].sort((a, b) => b - a));
  });

  test('a chart with the keyboard: arrows move between its patients, Enter selects; the pointer shows the id under it', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=lead-in`);
    await drawn(page);
    const hits = await page.evaluate(() => window.alsHits('waterfall'));
    const order = [...new Set([...hits].sort((a, b) => a.x - b.x || a.y - b.y).map((h) => h.id))];
    assert.ok(order.length > 2, `${order.length} patients in the waterfall`);
    // (the keyboard's code is loaded at the first key: the live region says when it has moved)
    const live = (text) => page.waitForFunction((t) => document.getElementById('chart-live').textContent === t, text, { timeout: 5000 });
    const scroll = await page.evaluate(() => scrollY);
    await page.focus('#chart-waterfall');
    const focusedScroll = await page.evaluate(() => scrollY);
    await page.keyboard.press('ArrowRight');
    await live(`${order[0]} (1 of ${order.length})`);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    await live(`${order[1]} (2 of ${order.length})`);
    assert.equal(await page.evaluate(() => scrollY), focusedScroll, `the arrow keys do not scroll the page (${scroll} before the focus)`);
    assert.ok(await page.isVisible('#chart-mark'), 'a marker shows where');
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    const last = order.at(-1);
    await page.waitForFunction((id) => document.getElementById('explain').textContent.includes(`Patient ${id},`), last);
    assert.equal(await page.$eval('#patients tr.selected', (tr) => tr.dataset.id), last);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'chart-waterfall', 'the focus stays on the chart');
    // the pointer over a bar: its patient's id as the canvas's tooltip
    const hit = hits.find((h) => h.id === order[0]);
    const box = await page.$eval('#chart-waterfall', (c) => c.getBoundingClientRect().toJSON());
    await page.mouse.move(box.x + hit.x, box.y + hit.y);
    assert.equal(await page.$eval('#chart-waterfall', (c) => c.title), order[0]);
  });

  test('the first visit shows how to start (columns, examples, a template that the page reads), no empty charts, exports disabled', async () => {
    const page = await s.newPage();
    await page.goto(s.base);
    await page.waitForSelector('#start:not([hidden])');
    assert.equal(await page.evaluate(() => document.body.dataset.state), 'empty');
    assert.ok(await page.isHidden('#charts'), 'no empty chart frames');
    assert.ok(await page.isHidden('#results'));
    assert.ok(await page.$$eval('.needs-result', (bs) => bs.length > 10 && bs.every((b) => b.disabled)), 'every export disabled');
    const columns = await page.textContent('#start-columns');
    for (const c of ['patient', 'alsfrs_r', 'event']) assert.match(columns, new RegExp(`\\b${c}\\b`));
    assert.equal(await page.$$eval('#start-examples button', (bs) => bs.length), 6);
    const { name, bytes } = await downloadOf(page, '#template-btn');
    assert.equal(name, 'als-progression-template.csv');
    const template = bytes.toString('utf8');
    assert.match(template, /^# Template/);
    assert.equal(template.split('\n').find((l) => !l.startsWith('#')).split(',').join(', '), columns, 'the panel lists the template\'s columns');
    await page.waitForFunction(() => document.body.dataset.engine);
    await pasteData(page, template);
    await waitAnalysed(page);
    assert.ok(await page.isHidden('#start'), 'gone once there is data');
    assert.equal(new Set((await tableRows(page)).map((r) => r[0])).size, 2, 'the template is data the page reads: 2 patients');
    assert.deepEqual(await page.evaluate(() => window.alsAnalysis().diagnostics.filter((d) => d.severity === 'error')), []);
    assert.ok(await page.$$eval('.needs-result', (bs) => bs.every((b) => !b.disabled)), 'exports enabled with a result');
    // an example from the panel
    await page.click('#clear-btn');
    await page.evaluate(() => (document.body.dataset.state = 'pending'));
    await page.click('#start-examples button >> nth=1');
    await waitAnalysed(page);
    assert.ok((await tableRows(page)).length > 0);
  });

  test('"Clear saved data" clears the results, table, explain panel, charts and diagnostics; the exports are disabled', async () => {
    const page = await s.newPage();
    await page.goto(s.base);
    await page.waitForFunction(() => document.body.dataset.engine);
    await pasteData(page, cohortTsv(5, { badLines: true }));
    await drawn(page);
    await page.click('#patients tbody tr button');
    await page.waitForFunction(() => document.getElementById('explain').textContent.includes('Patient PT-'));
    await page.click('#clear-btn');
    const left = await page.evaluate(() => ({
      text: document.getElementById('data').value,
      summary: document.getElementById('summary').textContent,
      rows: document.querySelectorAll('#patients tbody tr, #tests tbody tr, #mixed-table tbody tr').length,
      explain: document.getElementById('explain').textContent,
      diagnostics: document.getElementById('diagnostics').textContent + document.getElementById('columns').textContent,
      canvases: [...document.querySelectorAll('#charts canvas')].map((c) => c.width),
      captions: [...document.querySelectorAll('#charts figcaption')].map((c) => c.textContent).join(''),
      hidden: ['results', 'charts'].map((id) => document.getElementById(id).hidden),
      enabled: [...document.querySelectorAll('.needs-result')].filter((b) => !b.disabled).map((b) => b.id || b.textContent),
      stored: sessionStorage.length,
      hash: location.hash,
      analysis: window.alsAnalysis(),
      state: document.body.dataset.state,
    }));
    assert.deepEqual(left, {
      text: '',
      summary: '',
      rows: 0,
      explain: left.explain,
      diagnostics: '',
      canvases: [0, 0, 0, 0, 0, 0, 0, 0, 0],
      captions: '',
      hidden: [true, true],
      enabled: [],
      stored: 0,
      hash: '',
      analysis: null,
      state: 'empty',
    });
    assert.doesNotMatch(left.explain, /PT-/, 'no patient in the explain panel');
    assert.ok(await page.isVisible('#start'), 'the first visit\'s panel again');
    // nothing comes back: no analysis was left in flight
    await page.waitForTimeout(700);
    assert.equal(await page.evaluate(() => window.alsAnalysis()), null);
  });

  test('a failed analysis takes the previous results off the page (#21)', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=lead-in`);
    await drawn(page);
    await page.waitForFunction(() => document.body.dataset.engine);
    await pasteData(page, 'hello\nworld\n');
    await waitAnalysed(page, 'error');
    assert.ok(await page.isVisible('#banner'));
    assert.equal(await page.evaluate(() => window.alsAnalysis()), null);
    assert.equal(await page.$$eval('#patients tbody tr', (r) => r.length), 0);
    assert.ok(await page.isHidden('#charts'));
    assert.ok(await page.$$eval('#charts canvas', (cs) => cs.every((c) => c.width === 0)));
    assert.equal(await page.textContent('#summary'), '');
  });

  test('embed: summary and the chosen charts fit an 800 × 600 frame, with a link to the full page; one chart; models fitted there', async () => {
    const page = await s.newPage({ viewport: { width: 800, height: 600 } });
    // the embed code the page writes: 800 × 600, the charts chosen
    await page.goto(`${s.base}#example=two-arm`);
    await drawn(page);
    await page.selectOption('#embed-charts', 'waterfall');
    await page.click('#embed-btn');
    await page.waitForSelector('#embed-code:not([hidden])');
    const code = await page.inputValue('#embed-code');
    assert.match(code, /width="800" height="600"/);
    const src = code.match(/src="([^"]+)"/)[1].replace(/&amp;/g, '&');
    assert.equal(new URL(src).searchParams.get('charts'), 'waterfall');
    for (const [url, shown] of [[`${s.base}?embed=1#example=two-arm`, ['trajectories', 'waterfall']], [src, ['waterfall']]]) {
      await page.goto('about:blank');
      await page.goto(url);
      await drawn(page);
      const layout = await page.evaluate(() => ({
        figures: [...document.querySelectorAll('figure[data-chart]')].filter((f) => !f.hidden).map((f) => f.dataset.chart),
        bottoms: [...document.querySelectorAll('figure[data-chart]:not([hidden]) canvas')].map((c) => c.getBoundingClientRect().bottom),
        summary: document.getElementById('summary').getBoundingClientRect().height,
        overflowX: document.documentElement.scrollWidth - innerWidth,
      }));
      assert.deepEqual(layout.figures, shown);
      assert.ok(layout.bottoms.every((b) => b <= 600), `charts end within the frame: ${layout.bottoms}`);
      assert.ok(layout.summary > 20, 'the summary is shown');
      assert.equal(layout.overflowX, 0);
      assert.ok(await page.isHidden('#input'));
      const link = await page.$eval('#full-link', (a) => ({ href: a.href, target: a.target, visible: a.getClientRects().length > 0 }));
      assert.ok(link.visible, 'a link to the full page');
      assert.equal(new URL(link.href).search, '', 'the full page, not the embed view');
      assert.equal(link.target, '_blank');
    }
    // the models can be fitted in the embed view (the charts then show them)
    assert.ok(await page.isVisible('#fit-models'));
    await fitModels(page);
    await drawn(page);
    assert.match(await page.textContent('#models-words'), /per month/);
  });
});
