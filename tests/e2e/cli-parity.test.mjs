// Each example's table in the page equals the CLI's JSON for the same text and default settings.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { session, built, waitAnalysed, ROOT } from './helpers.mjs';

const EXAMPLES = ['lead-in', 'controls', 'repeated', 'two-arm'];
const dir = mkdtempSync(join(tmpdir(), 'als-e2e-'));

function cli(file) {
  // Same numbers as --release; the debug build is already there after `cargo test`.
  const r = spawnSync('cargo', ['run', '--quiet', '--', 'analyze', file, '--format', 'json'], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`CLI failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Deep equality with numbers equal to 1e-9 relative (wasm and native libm differ in the last ulp). */
function assertClose(got, want, path = '') {
  if (typeof want === 'number' && typeof got === 'number') {
    assert.ok(Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${path}: ${got} vs ${want}`);
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

const fmt = (x, d = 2) => (x === null || x === undefined ? '–' : x.toFixed(d));

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
      const rows = want.map((p) => [p.id, p.group, fmt(p.pre_rate), fmt(p.post_rate), fmt(p.change), fmt(p.improvement_pct, 1), p.responder === null ? '–' : p.responder ? 'yes' : 'no', String(p.n_visits), p.pre_source ?? '']);
      assert.deepEqual(got.map((r) => r.slice(0, 9)), rows);
      // The page's full JSON equals the CLI's too (same engine), apart from the page-only settings.
      const pageJson = await page.evaluate(() => JSON.parse(JSON.stringify(window.alsAnalysis?.() ?? null)));
      assert.ok(pageJson, 'window.alsAnalysis() gives the analysis');
      assertClose(pageJson.patients.filter((p) => p.measure === measure), want, 'patients');
    });
  }
});
