// Issue #23 on the page: the item-level example shows the stage timeline (one bar per patient,
// clickable), the ΔFS classes per group, the stages with their rules in the explain panel, and its
// exports carry the stages and the TRICALS LP; data without items shows no stage timeline (no
// empty frame); implausible values are counted in the status line and listed in the diagnostics.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { session, built, waitAnalysed, downloadOf, pasteData, parseCsv } from './helpers.mjs';

describe('staging', { skip: !built() && 'page not built (node scripts/build.mjs)' }, () => {
  let s;
  before(async () => {
    s = await session();
  });
  after(async () => {
    await s?.close();
  });

  test('the item-level example: stage timeline, ΔFS classes, stages in the explain panel, exports', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=items`);
    await waitAnalysed(page);
    await page.waitForFunction(() => document.body.dataset.charts === 'drawn');
    assert.equal(await page.isVisible('figure[data-chart="swimmer"]'), true, 'the stage timeline is shown');
    assert.equal(await page.getAttribute('#chart-swimmer', 'data-drawn'), '1');
    assert.match(await page.textContent('#cap-swimmer'), /Stage timeline of 16 patients with ALSFRS-R items/);
    const hits = await page.evaluate(() => window.alsHits('swimmer'));
    assert.equal(hits.length, 16, 'a bar per patient');
    assert.match(await page.textContent('#summary'), /ΔFS classes: slow \d+, intermediate \d+, fast \d+, unclassified 0\./);
    assert.match(await page.textContent('#summary'), /TRICALS risk profile for 15/);

    // A click on a bar selects the patient: the explain panel has its stages and the rules.
    await page.click('#chart-swimmer', { position: { x: hits[0].x, y: hits[0].y + 3 } });
    await page.waitForFunction((id) => /King's stage/.test(document.getElementById('explain').textContent) && document.getElementById('explain').textContent.includes(id), hits[0].id);
    const explain = await page.textContent('#explain');
    assert.match(explain, /King's stage (\d|4A|4B) — \d/);
    assert.match(explain, /MiToS stage \d — \d/);
    assert.match(explain, /ΔFS class: (slow|intermediate|fast)/);
    assert.match(explain, /TRICALS risk profile|No TRICALS risk profile: missing/);

    const a = JSON.parse((await downloadOf(page, '#export-json')).bytes.toString('utf8'));
    assert.ok(a.stages.length > 16, 'stages of every visit with items');
    assert.deepEqual(Object.keys(a.stages[0]).sort(), ['date', 'id', 'kings', 'kings_reason', 'mitos', 'mitos_reason', 't']);
    assert.equal(a.patients.filter((p) => p.tricals_lp != null).length, 15);
    assert.deepEqual(a.patients.find((p) => p.tricals_lp == null).tricals_missing, ['el_escorial_definite']);
    const rows = parseCsv((await downloadOf(page, '#export-csv')).bytes.toString('utf8'));
    for (const col of ['delta_fs_class', 'tricals_lp', 'tricals_eligible', 'tricals_missing']) assert.ok(rows[0].includes(col), `CSV column ${col}`);
    assert.deepEqual(page.consoleErrors, []);
  });

  test('grouping by ΔFS class splits the summary', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=items`);
    await waitAnalysed(page);
    await page.evaluate(() => (document.body.dataset.state = 'pending'));
    await page.selectOption('#group_by', 'delta_fs_class');
    await waitAnalysed(page);
    const summary = await page.textContent('#summary');
    assert.match(summary, /^slow: \d+ patients/);
    assert.match(summary, /intermediate: \d+ patients/);
  });

  test('data without items: no stage timeline frame', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=lead-in`);
    await waitAnalysed(page);
    await page.waitForFunction(() => document.body.dataset.charts === 'drawn');
    assert.equal(await page.isVisible('figure[data-chart="swimmer"]'), false);
    assert.equal(await page.isVisible('figure[data-chart="waterfall"]'), true);
  });

  test('implausible values are counted in the status line and listed with their lines', async () => {
    const page = await s.newPage();
    await page.goto(s.base);
    await page.waitForFunction(() => document.body.dataset.engine);
    await pasteData(page, 'id,date,alsfrs_r,fvc\nA,2020-01-01,40,80\nA,2020-03-01,45,81\nA,2020-05-01,44,40\nB,2020-01-01,40,80\nB,2020-03-01,39,79\n');
    await waitAnalysed(page);
    assert.match(await page.textContent('#status'), /2 implausible values to check/);
    const diags = await page.textContent('#diagnostics');
    assert.match(diags, /Line 3: the ALSFRS-R total of patient A rises by 5 points, from 40 \(line 2\)/);
    assert.match(diags, /Line 4: the FVC of patient A changes by -41 points/);
  });
});
