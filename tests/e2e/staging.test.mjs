// Issue #23 on the page: the item-level example shows the stage timeline (one bar per patient,
// clickable), the ΔFS classes per group, the stages with their rules in the explain panel, and its
// exports carry the stages and the TRICALS LP; data without items shows no stage timeline (no
// empty frame); implausible values are counted in the status line and listed in the diagnostics.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { session, built, waitAnalysed, downloadOf, pasteData, parseCsv, tableRows, unzipStored } from './helpers.mjs';

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

  test('the item-level example: the stages CSV export and in the ZIP, the latest stages in the patient table, death drawn as stage 5', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=items`);
    await waitAnalysed(page);
    await page.waitForFunction(() => document.body.dataset.charts === 'drawn');
    // The stage timeline draws the deaths after the last visits as stage 5.
    assert.match(await page.textContent('#cap-swimmer'), /7 died: their bars run to the death, stage 5 from there\. At the end: stage 3: 3, stage 4B: 6, stage 5: 7\./);

    // The stages of every visit as CSV: the engine's writer, the same file as the CLI's
    // `analyze tests/data/design-items.csv --format stages-csv` (its golden copy).
    assert.equal(await page.isVisible('#export-stages-csv'), true);
    const { name, bytes } = await downloadOf(page, '#export-stages-csv');
    assert.equal(name, 'als-progression-stages.csv');
    const csv = bytes.toString('utf8');
    const rows = parseCsv(csv);
    assert.deepEqual(rows[0], ['id', 'date', 't', 'kings', 'kings_reason', 'mitos', 'mitos_reason']);
    assert.equal(rows.filter((r) => r.length > 1).length - 1, 118, 'a row per visit with items');
    assert.deepEqual(rows[1].slice(0, 4), ['SYN-001', '2018-02-05', '-5.9466119097', '3']);
    assert.match(rows[1][4], /^3: 3 regions involved: bulbar \(item 2 \(salivation\) = 3 < 4\)/);
    assert.equal(csv, readFileSync(new URL('../data/golden/items.stages.csv', import.meta.url), 'utf8'));

    // "Download all charts" carries it too.
    const files = unzipStored((await downloadOf(page, '#zip-btn')).bytes);
    const inZip = files.find((f) => f.name === 'stages.csv');
    assert.ok(inZip, `stages.csv in ${files.map((f) => f.name)}`);
    assert.equal(inZip.bytes.toString('utf8'), csv);
    assert.match(await page.textContent('#status'), /with the stages of every visit \(stages\.csv\)/);

    // The patient table: the latest King's and MiToS stage, the rules as the cell's title.
    const head = await page.$$eval('#patients thead th', (ths) => ths.map((th) => th.textContent.trim()));
    const col = head.findIndex((h) => h.startsWith('Latest stage'));
    assert.ok(col > 0, head.join(' | '));
    const a = JSON.parse((await downloadOf(page, '#export-json')).bytes.toString('utf8'));
    const byId = new Map(a.patients.filter((p) => p.measure === 'alsfrs_r').map((p) => [p.id, p]));
    const shown = await tableRows(page);
    for (const r of shown) {
      const p = byId.get(r[0]);
      assert.equal(r[col], `King's ${p.latest_kings ?? '–'} · MiToS ${p.latest_mitos ?? '–'}`, r[0]);
    }
    assert.equal(shown.filter((r) => r[col] === "King's 5 · MiToS 5").length, 7, 'the 7 deaths after the last visit');
    const title = await page.$eval(`#patients tbody tr[data-id="SYN-003"] td:nth-child(${col + 1})`, (td) => td.title);
    assert.equal(title, "King's: 5: death\nMiToS: 5: death");
    const title1 = await page.$eval(`#patients tbody tr[data-id="SYN-001"] td:nth-child(${col + 1})`, (td) => td.title);
    assert.equal(title1, `King's: ${byId.get('SYN-001').latest_kings_reason}\nMiToS: ${byId.get('SYN-001').latest_mitos_reason}`);
    assert.match(title1, /^King's: 4B \(respiratory failure\)/);
    // Sortable: ascending puts the earliest stages first, the deaths last.
    await page.click('#patients thead button[data-key="latest_stage"]');
    const sorted = (await tableRows(page)).map((r) => r[col]);
    assert.match(sorted[0], /^King's 3 /);
    assert.equal(sorted[sorted.length - 1], "King's 5 · MiToS 5");
    // The explain panel of a patient who died after the last visit ends with the death's stages.
    await page.click('#patients tbody tr[data-id="SYN-003"] th button');
    await page.waitForFunction(() => document.getElementById('explain').textContent.includes('SYN-003'));
    assert.match(await page.textContent('#explain'), /Death, month 16\.1: King's stage 5 — 5: death; MiToS stage 5 — 5: death\./);
    assert.deepEqual(page.consoleErrors, []);
  });

  test('data without items: no stages export, no stage column', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=lead-in`);
    await waitAnalysed(page);
    assert.equal(await page.isVisible('#export-stages-csv'), false);
    const head = await page.$$eval('#patients thead th', (ths) => ths.map((th) => th.textContent.trim()));
    assert.ok(!head.some((h) => h.startsWith('Latest stage')), head.join(' | '));
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
