// Each example's table in the page equals the CLI's JSON for the same text and default settings.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitModels, session, built, waitAnalysed, pasteData, downloadOf, ROOT } from './helpers.mjs';

const EXAMPLES = ['lead-in', 'controls', 'repeated', 'two-arm'];
const dir = mkdtempSync(join(tmpdir(), 'als-e2e-'));

function cli(file, ...args) {
  // Same numbers as --release; the debug build is already there after `cargo test`.
  const r = spawnSync('cargo', ['run', '--quiet', '--', 'analyze', file, '--format', 'json', ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`CLI failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Deep equality with numbers equal to 1e-9 relative (wasm and native libm differ in the last ulp);
 * 1e-6 for model fits, whose optimisers and numerical derivatives amplify those differences;
 * 1e-4 for a model's Satterthwaite df and the p-value drawn from it: the df comes from a numerical
 * Hessian of the REML criterion, so the 1e-6 of the fit grows there (2503.4004 vs 2503.3977 seen on
 * a 2,500-patient cohort; src/models/tests.rs compares df and p with lmerTest at the same looser level). */
function assertClose(got, want, path = '') {
  if (typeof want === 'number' && typeof got === 'number') {
    const model = /mixed_models|d50/.test(path);
    const tol = model && /\.(df|p_value)$/.test(path) ? 1e-4 : model ? 1e-6 : 1e-9;
    assert.ok(Math.abs(got - want) <= tol * Math.max(1, Math.abs(want)), `${path}: ${got} vs ${want}`);
  } else if (Array.isArray(want)) {
    assert.ok(Array.isArray(got) && got.length === want.length, `${path}: array length`);
    want.forEach((w, i) => assertClose(got[i], w, `${path}[${i}]`));
  } else if (want && typeof want === 'object') {
    assert.deepEqual(Object.keys(got ?? {}).sort(), Object.keys(want).sort(), `${path}: keys`);
    for (const k of Object.keys(want)) assertClose(got[k], want[k], `${path}.${k}`);
  } else {
    assert.equal(got, want, path);
  }
}

/**
 * A number as the engine writes it for people (src/format.rs, `number`): `d` fixed decimals of the
 * value's exact binary expansion, a tie (exactly halfway) to the even digit, and no sign on a value
 * that rounds to zero ("0.00", never "-0.00"); "–" when missing. `toFixed` rounds on the exact value
 * too but sends a tie away from zero: only ties are redone.
 */
function fmt(x, d = 2) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  let s = x.toFixed(d);
  // every double below 2^53 has at most ~1075 fractional digits, but one within 1e-100 of a tie at
  // d ≤ 3 decimals is a tie: 100 digits decide
  const frac = Math.abs(x).toFixed(100).split('.')[1] ?? '';
  if (frac[d] === '5' && /^0*$/.test(frac.slice(d + 1))) {
    const [int] = Math.abs(x).toFixed(100).split('.');
    const down = d ? `${int}.${frac.slice(0, d)}` : int;
    if (Number(down.at(-1)) % 2 === 0) s = (x < 0 ? '-' : '') + down;
  }
  return /^-[0.]*$/.test(s) ? s.slice(1) : s;
}

describe('page table equals the CLI', { skip: !built() && 'page not built (node scripts/build.mjs)' }, () => {
  let s;
  let page;
  before(async () => {
    s = await session();
    page = await s.newPage();
  });
  after(async () => {
    await s?.close();
  });

  for (const name of EXAMPLES) {
    test(name, async () => {
      await page.goto(`${s.base}#example=${name}`);
      await page.reload(); // a fresh start from the hash, with no session state of the previous example
      await waitAnalysed(page);
      const text = await page.inputValue('#data');
      const measure = await page.inputValue('#measure');
      const file = join(dir, `${name}.txt`);
      writeFileSync(file, text);
      const want = cli(file).patients.filter((p) => p.measure === measure);
      const got = await page.$$eval('#patients tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
      assert.equal(got.length, want.length, 'same number of patients');
      const rows = want.map((p) => [p.id, p.group, fmt(p.pre_rate), fmt(p.post_rate), fmt(p.change), fmt(p.improvement_pct, 1) + (p.improvement_unreliable ? ' (unreliable)' : ''), p.responder === null ? '–' : p.responder ? 'yes' : 'no', String(p.n_visits), p.pre_source ?? '']);
      assert.deepEqual(got.map((r) => r.slice(0, 9)), rows);
      // The page's full JSON equals the CLI's too (same engine), apart from the page-only settings.
      const pageJson = await page.evaluate(() => JSON.parse(JSON.stringify(window.alsAnalysis?.() ?? null)));
      assert.ok(pageJson, 'window.alsAnalysis() gives the analysis');
      assertClose(pageJson.patients.filter((p) => p.measure === measure), want, 'patients');
    });
  }
});

// The JSON export is the whole analysis (visit series, model fits) the CLI gives for the same data
// and measure. The second cohort is large enough (> 10,000 rows) that the page keeps only a slim
// copy itself and the export comes from the engine's binary copy made by the worker.
describe('JSON export equals the CLI', { skip: !built() && 'page not built (node scripts/build.mjs)' }, () => {
  let s;
  let page;
  before(async () => {
    s = await session();
    page = await s.newPage();
  });
  after(async () => {
    await s?.close();
  });

  const synth = (patients) => {
    const r = spawnSync('cargo', ['run', '--quiet', '--', 'synth', '--design', 'two-arm', '--patients', String(patients), '--seed', '7'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`synth failed: ${r.stderr}`);
    return r.stdout;
  };
  for (const [label, patients] of [['40 patients', 40], ['2,500 patients (slim page copy)', 2500]]) {
    test(label, async () => {
      const text = synth(patients);
      await page.goto(s.base);
      await page.waitForFunction(() => document.body.dataset.engine);
      await pasteData(page, text);
      await waitAnalysed(page);
      await fitModels(page);
      const measure = await page.inputValue('#measure');
      const rows = await page.evaluate(() => window.alsAnalysis().input.n_rows);
      assert.equal(rows > 10000, patients > 100, `${rows} rows`);
      if (patients > 100) assert.equal(await page.evaluate(() => window.alsAnalysis().series.length), 0, 'the page keeps a slim copy');
      const { bytes } = await downloadOf(page, '#export-json');
      const got = JSON.parse(bytes.toString('utf8'));
      const file = join(dir, `synth-${patients}.txt`);
      writeFileSync(file, text);
      const want = cli(file, '--measure', measure, '--include-series');
      assert.ok(want.series.length > 0 && want.mixed_models.length > 0, 'the CLI gives series and models');
      // the page's settings add page-only keys; everything else is the same document
      delete got.settings;
      delete want.settings;
      assertClose(got, want, 'export');
    });
  }
});

