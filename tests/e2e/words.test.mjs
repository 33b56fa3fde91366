// Results as people read them (issue #24, items 5–11), read from the page's text: no "null" in
// the explain panel, no "p = < 0.001", FVC rates in % predicted per month, every rate column
// header with its unit, no "− -0.1", no "Fitted in 0.0 s", whole-number statistics without
// decimals, diagnostics errors first, the status line's counts, one period vocabulary.
//
// The second describe holds what the engine's side of #24 brings (period names in its own
// warnings, plain-language test titles, directions, low-power notes, formatting of its test
// sentences, the per-patient "lost data" flag, counts, no noise warnings), the natural history's
// whole-course rate and the Kruskal-Wallis tests, read through the engine's field names
// (docs/schema.json).
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { session, built, waitAnalysed, tableRows, pasteData, cohortTsv, fitModels } from './helpers.mjs';

const EXAMPLES = ['lead-in', 'controls', 'repeated', 'two-arm'];

/** Every patient of the example selected in turn: the explain panel's text of each. */
async function explainTexts(page) {
  const ids = await page.$$eval('#patients tbody tr', (trs) => trs.map((tr) => tr.dataset.id));
  const out = [];
  for (const id of ids) {
    await page.click(`#patients tbody tr[data-id="${id}"] button`);
    await page.waitForFunction((x) => document.getElementById('explain').textContent.includes(`Patient ${x},`), id);
    out.push([id, await page.textContent('#explain')]);
  }
  return out;
}

/** The page's words (not the data): `ids` of the parts (by default all but the summary, whose
 * test sentences are the engine's). */
const pageText = (page, ids = ['status', 'explain', 'patients', 'tests', 'mixed']) => page.evaluate((ids) => ids.map((id) => document.getElementById(id).innerText).join('\n'), ids);

describe('results as people read them (#24, the page)', { skip: !built() && 'page not built (node scripts/build.mjs)' }, () => {
  let s;
  before(async () => {
    s = await session();
  });
  after(async () => {
    await s?.close();
  });

  for (const name of EXAMPLES) {
    test(`${name}: no null, undefined or NaN in the explain panel of any patient; no "= <"; no "− -"`, async () => {
      const page = await s.newPage();
      await page.goto(`${s.base}#example=${name}`);
      await waitAnalysed(page);
      await fitModels(page);
      for (const [id, text] of await explainTexts(page)) {
        assert.doesNotMatch(text, /\bnull\b|\bundefined\b|\bNaN\b|\[object/, `${id}: ${text}`);
        assert.doesNotMatch(text, /[−-]\s*-\d/, `${id}: a minus before a negative number: ${text}`);
        assert.doesNotMatch(text, /\bPeriod \d/, `${id}: periods in words: ${text}`);
      }
      const all = await pageText(page);
      assert.doesNotMatch(all, /=\s*</, 'no "p = < 0.001"');
      assert.doesNotMatch(all, /Fitted in 0\.0 s/);
      assert.doesNotMatch(all, /\bnull\b|\bundefined\b|\bNaN\b/);
    });
  }

  test('FVC: rates in % predicted per month in the table headers, explain panel, summary and models; every rate header has its unit', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=two-arm`);
    await waitAnalysed(page);
    await page.selectOption('#measure', 'fvc');
    await page.waitForFunction(() => document.body.dataset.state === 'ready' && window.alsAnalysis()?.measures?.[0] === 'fvc');
    await fitModels(page);
    const headers = await page.$$eval('#patients thead th', (ths) => ths.map((t) => t.textContent));
    const rates = headers.filter((h) => /^(Rate|Change)\b/.test(h));
    assert.equal(rates.length, 3, headers.join(' | '));
    for (const h of rates) assert.match(h, /\(% predicted per month\)/, h);
    assert.match(await page.textContent('#patients caption'), /% predicted per month/);
    const [[, explain]] = await explainTexts(page);
    assert.match(explain, /% predicted per month/);
    const all = await pageText(page);
    assert.doesNotMatch(all, /points\s*(\/|per)\s*month/, 'never points per month for FVC');
    assert.match(await page.textContent('#summary'), /% predicted per month/);
    assert.match(await page.textContent('#models-words'), /% predicted per month/);
    // and ALSFRS's table says points per month
    await page.selectOption('#measure', 'alsfrs');
    await page.waitForFunction(() => document.body.dataset.state === 'ready' && window.alsAnalysis()?.measures?.[0] === 'alsfrs');
    assert.ok((await page.$$eval('#patients thead th', (ths) => ths.map((t) => t.textContent))).filter((h) => /points per month/.test(h)).length === 3);
  });

  test('the tests table: whole-number statistics without decimals, p-values never after "="', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=lead-in`);
    await waitAnalysed(page);
    const tests = await page.evaluate(() => window.alsAnalysis().tests);
    const rows = await page.$$eval('#tests tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    tests.forEach((t, i) => {
      if (Number.isInteger(t.statistic)) assert.equal(rows[i][4], String(t.statistic), `${t.kind}: ${rows[i][4]}`);
    });
    assert.ok(tests.some((t) => Number.isInteger(t.statistic)), 'the example has a whole-number statistic (V)');
  });

  test('diagnostics: errors first, then warnings, then information; the status line counts patients, rows and rows skipped', async () => {
    const page = await s.newPage();
    await page.goto(s.base);
    await page.waitForFunction(() => document.body.dataset.engine);
    await pasteData(page, cohortTsv(4, { badLines: true }));
    await waitAnalysed(page);
    const severities = await page.$$eval('#diagnostics .sev', (ss) => ss.map((x) => x.textContent));
    const rank = { error: 0, warning: 1, info: 2 };
    assert.ok(severities.includes('error') || severities.includes('warning'), severities.join());
    assert.deepEqual(severities, [...severities].sort((a, b) => rank[a] - rank[b]));
    const a = await page.evaluate(() => window.alsAnalysis());
    const errorLines = new Set(a.diagnostics.filter((d) => d.severity === 'error' && d.line).map((d) => d.line)).size;
    const status = await page.textContent('#status');
    assert.match(status, new RegExp(`^4 patients from ${a.input.n_rows} rows`), status);
    // rows with an error diagnostic (a row or a cell of it left out): the data has one
    assert.ok(errorLines > 0, 'the data has a row with an error');
    assert.match(status, new RegExp(`; ${errorLines} rows? with errors \\(see the diagnostics\\)`), status);
  });

  test('one period vocabulary in the page\'s own words: the explain panel and the table headers', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=repeated`);
    await waitAnalysed(page);
    const headers = (await page.$$eval('#patients thead th', (ths) => ths.map((t) => t.textContent))).join(' ');
    assert.match(headers, /before treatment/);
    assert.match(headers, /after treatment/);
    const texts = await explainTexts(page);
    const words = texts.map(([, t]) => t).join('\n');
    assert.match(words, /Before treatment|Rate before treatment/);
    assert.match(words, /After injection \d|After \w/);
    assert.doesNotMatch(words.replace(/\(period \d[^)]*\)|period \d+:[^.]*/g, ''), /\bPeriod \d/);
  });
});

describe('results as people read them (#24): the engine\'s words on the page', { skip: !built() && 'page not built (node scripts/build.mjs)' }, () => {
  let s;
  before(async () => {
    s = await session();
  });
  after(async () => {
    await s?.close();
  });

  test('one period vocabulary everywhere: no "period 0/1" in warnings, explain panel, table or chart captions', async () => {
    for (const name of EXAMPLES) {
      const page = await s.newPage();
      await page.goto(`${s.base}#example=${name}`);
      await waitAnalysed(page);
      await page.waitForFunction(() => document.body.dataset.charts === 'drawn');
      const texts = (await explainTexts(page)).map(([, t]) => t).join('\n');
      const captions = await page.$$eval('#charts figcaption', (cs) => cs.map((c) => c.textContent).join('\n'));
      const table = (await tableRows(page)).flat().join('\n');
      for (const [where, t] of [['explain', texts], ['captions', captions], ['table', table]]) assert.doesNotMatch(t, /\bperiod \d/i, `${name}, ${where}`);
      assert.ok((await page.evaluate(() => window.alsAnalysis().patients.flatMap((p) => p.periods ?? []))).every((q) => typeof q.name === 'string'), 'Period.name');
    }
  });

  test('no noise warnings: the lead-in\'s 26-day gap between injections is one summary line, not a warning per patient', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=lead-in`);
    await waitAnalysed(page);
    const warned = (await tableRows(page)).filter((r) => /fewer than 2 dates/.test(r.at(-1)));
    assert.deepEqual(warned, []);
  });

  test('tests: a plain-language name (R\'s method below it), the direction in words, a low-power note when n < 6', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=lead-in`);
    await waitAnalysed(page);
    const tests = await page.evaluate(() => window.alsAnalysis().tests);
    assert.ok(tests.every((t) => typeof t.title === 'string' && typeof t.direction === 'string'), JSON.stringify(tests[0]));
    const cells = await page.$$eval('#tests tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.equal(cells.length, tests.length);
    tests.forEach((t, i) => {
      assert.ok(cells[i][2].startsWith(t.title) && cells[i][2].includes(t.method), cells[i][2]);
      assert.ok(cells[i].some((c) => c.includes(t.direction)), `the direction shown: ${t.direction}`);
    });
    await pasteData(page, cohortTsv(4));
    await waitAnalysed(page);
    const small = await page.evaluate(() => window.alsAnalysis().tests.filter((t) => t.n < 6));
    assert.ok(small.length && small.every((t) => t.power_note), 'n < 6: a low-power note');
    const shown = await page.$$eval('#tests tbody tr', (trs) => trs.map((tr) => tr.textContent));
    const all = await page.evaluate(() => window.alsAnalysis().tests);
    for (const t of small) assert.ok(shown[all.findIndex((x) => x.title === t.title)].includes(t.power_note), `the low-power note shown: ${t.title}`);
  });

  test('the engine\'s test sentences and notes: no "p = <", no float noise, no "-0.00", no ".000" on whole numbers', async () => {
    for (const name of EXAMPLES) {
      const page = await s.newPage();
      await page.goto(`${s.base}#example=${name}`);
      await waitAnalysed(page);
      const all = await pageText(page, ['summary', 'tests']);
      assert.doesNotMatch(all, /=\s*</, `${name}: "p = <"`);
      assert.doesNotMatch(all, /\d\.\d{7,}/, `${name}: float noise`);
      assert.doesNotMatch(all, /-0\.0+\b(?!\d)/, `${name}: -0.00`);
      assert.doesNotMatch(all, /[SVW] = \d+\.000\b/, `${name}: .000`);
    }
  });

  test('a patient whose rows were skipped says so in the table; the status line counts from the engine', async () => {
    const page = await s.newPage();
    await page.goto(s.base);
    await page.waitForFunction(() => document.body.dataset.engine);
    await pasteData(page, cohortTsv(4, { badLines: true }));
    await waitAnalysed(page);
    const a = await page.evaluate(() => window.alsAnalysis());
    assert.ok(a.patients.some((p) => p.lost_data === true), 'PatientResult.lost_data');
    assert.equal(typeof a.counts.n_rows_with_errors, 'number', 'Counts.n_rows_with_errors');
    assert.ok(a.counts.n_rows_with_errors > 0 && a.counts.n_patients_with_lost_data > 0, JSON.stringify(a.counts));
    const status = await page.textContent('#status');
    const rows = (k) => `${k} rows?`;
    assert.match(status, new RegExp(`^${a.counts.n_patients} patients from ${rows(a.counts.n_rows)}; ${rows(a.counts.n_rows_with_errors)} with errors \\(see the diagnostics\\)`), status);
    const table = await tableRows(page);
    for (const p of a.patients) assert.equal(/data lost/.test(table.find((r) => r[0] === p.id).at(-1)), p.lost_data, p.id);
    assert.match(table.find((r) => r[0] === 'PT-001').at(-1), /data lost/);
  });

  test('an improvement from a pre-rate below the floor is marked unreliable in the table and the explain panel', async () => {
    const page = await s.newPage();
    await page.goto(`${s.base}#example=two-arm`);
    await waitAnalysed(page);
    await page.selectOption('#measure', 'fvc');
    await page.waitForFunction(() => document.body.dataset.state === 'ready' && window.alsAnalysis()?.measures?.[0] === 'fvc');
    const ps = await page.evaluate(() => window.alsAnalysis().patients);
    assert.ok(ps.some((p) => p.improvement_unreliable), 'the example has one (SYN-008, FVC)');
    const table = await tableRows(page);
    const col = (await page.$$eval('#patients thead th', (ths) => ths.map((t) => t.textContent))).findIndex((h) => h.startsWith('% improvement'));
    for (const p of ps) assert.equal(/unreliable/.test(table.find((r) => r[0] === p.id)[col]), p.improvement_unreliable, p.id);
    // the responder count leaves it out, and says so (ResponderCount.n_unreliable)
    const r = await page.evaluate(() => window.alsAnalysis().responders.find((x) => x.n_unreliable > 0));
    assert.ok(r, 'a group with an unreliable improvement');
    assert.match(await page.textContent('#summary'), new RegExp(`${r.group}: [^\\n]* of ${r.n_evaluable} patients[^.]*\\(${r.n_unreliable} more left out: the rate before treatment too close to zero`));
    const id = ps.find((p) => p.improvement_unreliable).id;
    await page.click(`#patients tbody tr[data-id="${id}"] button`);
    await page.waitForFunction((x) => document.getElementById('explain').textContent.includes(`Patient ${x},`), id);
    assert.match(await page.textContent('#explain'), /unreliable/);
    assert.doesNotMatch(await page.textContent('#explain'), /→ (not a )?responder/);
  });

  test('natural history (no events): the whole-course rate in the table, the summary and the explain panel', async () => {
    const page = await s.newPage();
    await page.goto(s.base);
    await page.waitForFunction(() => document.body.dataset.engine);
    // the cohort without its event column
    await pasteData(page, cohortTsv(6).split('\n').map((l) => l.split('\t').slice(0, 4).join('\t')).join('\n'));
    await waitAnalysed(page);
    const a = await page.evaluate(() => window.alsAnalysis());
    assert.ok(a.patients.every((p) => p.first_event == null && p.course_rate != null));
    const headers = await page.$$eval('#patients thead th', (ths) => ths.map((t) => t.textContent));
    const col = headers.findIndex((h) => /^Rate over the whole course \(points per month\)/.test(h));
    assert.ok(col > 0, headers.join(' | '));
    assert.ok(!headers.some((h) => /before treatment|after treatment/.test(h)), headers.join(' | '));
    const table = await tableRows(page);
    const nums = await page.evaluate((xs) => xs.map((x) => window.alsFormat(x, 2)), a.patients.map((p) => p.course_rate));
    a.patients.forEach((p, i) => assert.equal(table.find((r) => r[0] === p.id)[col], nums[i], p.id));
    const summary = await page.textContent('#summary');
    for (const g of a.groups) {
      const s = a.summaries.find((x) => x.group === g && x.variable === 'course_rate');
      assert.ok(summary.includes(`Median decline ${await page.evaluate((x) => window.alsFormat(x, 2), s.median)} points per month over the whole course (n = ${s.n}`), summary);
    }
    const t = a.tests.find((x) => x.variable === 'course_rate' && x.kind === 'mann_whitney');
    assert.ok(t && t.statistic != null, 'a between-group test of the whole-course rates');
    assert.ok(summary.includes(t.direction), summary);
    await page.click(`#patients tbody tr[data-id="PT-001"] button`);
    await page.waitForFunction(() => document.getElementById('explain').textContent.includes('Patient PT-001,'));
    assert.match(await page.textContent('#explain'), /Rate over the whole course \(no events\) = −slope of all 11 visits = \d\.\d{3} points per month \(95% CI/);
  });

  test('more groups than max_pairwise_groups: the Kruskal-Wallis tests are rows of the tests table', async () => {
    const page = await s.newPage();
    await page.goto(s.base);
    await page.waitForFunction(() => document.body.dataset.engine);
    // 12 groups of 2 (the default compares at most 10 pairwise)
    const lines = cohortTsv(24).split('\n').map((l, i) => (i && l ? l.replace(/\t(treated|placebo)\t/, () => `\tG${Number(l.slice(3, 6)) % 12}\t`) : l));
    await pasteData(page, lines.join('\n'));
    await waitAnalysed(page);
    const a = await page.evaluate(() => window.alsAnalysis());
    assert.equal(a.groups.length, 12);
    const kw = a.tests.filter((t) => t.kind === 'kruskal_wallis');
    assert.ok(kw.length > 0 && kw.every((t) => t.group === 'all groups' && t.statistic != null), JSON.stringify(kw));
    const rows = await page.$$eval('#tests tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    for (const t of kw) {
      const r = rows[a.tests.indexOf(t)];
      assert.equal(r[0], 'all groups');
      assert.ok(r[2].startsWith(t.title) && r[2].includes(t.method), r[2]);
      assert.equal(r[4], await page.evaluate((x) => window.alsFormat(x, 3), t.statistic));
      assert.ok(r.join(' ').includes(t.note), `the note: ${t.note}`);
    }
  });
});
