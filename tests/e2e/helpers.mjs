// Shared e2e helpers: a static server on a free port (scripts/serve.mjs), Chromium through
// playwright-core with the machine's /usr/bin/chromium, and a record of every request.
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';
import { CHROMIUM, ROOT } from '../../scripts/lib.mjs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export { ROOT };
export const CHROME_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Is the page built? Under `npm test` (ALS_REQUIRE_BUILD=1) a missing build is an error, never a skip. */
export function built() {
  const ok = existsSync(join(ROOT, 'www', 'pkg', 'als_core_wasm.js')) && existsSync(join(ROOT, 'dist', 'als-progression.html'));
  if (!ok && process.env.ALS_REQUIRE_BUILD) throw new Error('the page is not built (node scripts/build.mjs)');
  return ok;
}

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROME_ARGS, headless: true });
}

/**
 * Start server (dist/, the built page as deployed; `dist: false` serves www/) + browser. Returns { base, browser, newPage(opts), requests, close }.
 * `requests` collects every request URL of every page of the session.
 */
export async function session({ dist = true } = {}) {
  const { server, url: base } = await serve({ dist, port: 0, quiet: true });
  const browser = await launch();
  const requests = [];
  const pages = [];
  const newPage = async ({ deviceScaleFactor = 1, viewport = { width: 1280, height: 900 }, acceptDownloads = true } = {}) => {
    const context = await browser.newContext({ deviceScaleFactor, viewport, acceptDownloads });
    const page = await context.newPage();
    page.consoleErrors = [];
    page.dialogs = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => m.type() === 'error' && page.consoleErrors.push(m.text()));
    page.on('pageerror', (e) => page.consoleErrors.push(String(e)));
    page.on('dialog', (d) => {
      page.dialogs.push(d.message());
      d.dismiss().catch(() => {});
    });
    context.on('page', (p) => p.on('request', (r) => requests.push(r.url())));
    pages.push(context);
    return page;
  };
  const close = async () => {
    for (const c of pages) await c.close().catch(() => {});
    await browser.close().catch(() => {});
    await new Promise((r) => server.close(r));
  };
  return { base, browser, newPage, requests, close };
}

/** Wait until the page finished an analysis (body[data-state=ready|error]). */
export async function waitAnalysed(page, state = 'ready', timeout = 30000) {
  await page.waitForFunction((s) => document.body.dataset.state === s, state, { timeout });
}

/** Rows of the patients table as arrays of cell texts. */
/** Fits the models (pressing "Fit mixed models and D50 curves" unless this tab already asked for
 * them, in which case they are refitted after every analysis) and waits for the fits. */
export async function fitModels(page, timeout = 120000) {
  await page.waitForFunction(() => ['offered', 'fitting', 'done'].includes(document.body.dataset.models), null, { timeout });
  if (await page.evaluate(() => document.body.dataset.models === 'offered')) await page.click('#fit-models');
  await page.waitForFunction(() => document.body.dataset.models === 'done', null, { timeout });
}

export async function tableRows(page) {
  return page.$$eval('#patients tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
}

/** Paste text into the emptied textarea as a user would: a paste event carrying the text, then
 * (unless the page took it, as it does with large data) the browser's own insertion and input event. */
export async function pasteData(page, text) {
  await page.evaluate(() => {
    document.body.dataset.state = 'pending';
  });
  await page.$eval('#data', realPaste, text);
}

/** In the page: what a browser does on Ctrl+V of `t` into a textarea whose content is all selected. */
export function realPaste(ta, t) {
  const dt = new DataTransfer();
  dt.setData('text/plain', t);
  if (!ta.readOnly) ta.select();
  if (ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true })) && !ta.readOnly) {
    ta.value = t;
    ta.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
  }
}

/** Drop a file (name, bytes) onto the textarea. */
export async function dropFile(page, name, bytes, type) {
  await page.evaluate(() => {
    document.body.dataset.state = 'pending';
  });
  const b64 = Buffer.from(bytes).toString('base64');
  await page.$eval('#data', (ta, { name, b64, type }) => {
    const bin = atob(b64);
    const arr = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) arr[i] = bin.charCodeAt(i);
    const dt = new DataTransfer();
    dt.items.add(new File([arr], name, { type }));
    ta.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }));
    ta.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, { name, b64, type });
}

/** Fraction of non-white pixels of a canvas (0..1). */
export async function inkFraction(page, selector) {
  return page.$eval(selector, (c) => {
    const ctx = c.getContext('2d');
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240) ink++;
    return ink / (d.length / 4);
  });
}

/** Click a button that triggers a download; returns the downloaded bytes and suggested name. */
export async function downloadOf(page, selector) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = await dl.path();
  const { readFileSync } = await import('node:fs');
  return { name: dl.suggestedFilename(), bytes: readFileSync(path) };
}

/** URLs a page may load: its own server's files, blob: and data: URLs. */
export function foreignRequests(requests, base) {
  return requests.filter((u) => !u.startsWith(base) && !u.startsWith('blob:') && !u.startsWith('data:'));
}

/** A small long-format cohort as tab-separated text (months relative to treatment at 0). */
export function cohortTsv(n = 6, { ids = [], badLines = false } = {}) {
  const rows = ['patient\tgroup\tmonth\talsfrs_r\tevent'];
  for (let p = 0; p < n; p++) {
    const id = ids[p] ?? `PT-${String(p + 1).padStart(3, '0')}`;
    const group = p % 2 ? 'placebo' : 'treated';
    const pre = 0.6 + (p % 5) * 0.2;
    const post = p % 2 ? pre : pre * 0.4;
    let score = 44 - (p % 4);
    for (let m = -4; m <= 6; m++) {
      rows.push(`${id}\t${group}\t${m}\t${Math.max(0, Math.round(score))}\t${m === 0 ? 'treatment start' : ''}`);
      score -= m < 0 ? pre : post;
    }
  }
  if (badLines) {
    rows.splice(3, 0, 'PT-001\ttreated\t-2.5\tnot-a-score\t');
    rows.splice(8, 0, 'PT-001\ttreated\t-1.5\t999\t');
    // a time that is not one: an error, the row skipped (PT-001 lost data); the two above are
    // warnings (read as missing)
    rows.splice(12, 0, 'PT-001\ttreated\tsoon\t40\t');
  }
  return rows.join('\n') + '\n';
}

/** Minimal CSV reader (RFC 4180 quoting), for checking exports. */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let inQ = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQ) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') inQ = false;
      else cell += ch;
    } else if (ch === '"') inQ = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell), rows.push(row), (row = []), (cell = '');
    } else cell += ch;
  }
  if (cell !== '' || row.length) row.push(cell), rows.push(row);
  return rows;
}

/**
 * axe-core's violations of impact serious or critical on the page as it is now. axe-core (npm,
 * a dev dependency) is put into the page by the test only (through the driver: the page's CSP
 * would refuse it as a script), never shipped. Each: { id, impact, nodes: [selector] }.
 */
export async function axeViolations(page) {
  const { readFileSync } = await import('node:fs');
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(`${readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8')};0`);
  const found = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) })));
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** The page scrolls sideways: the document is wider than the window. */
export async function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** A PNG's width, height and resolution (its pHYs chunk, in dots per inch; null without one). */
export function pngInfo(bytes) {
  const b = Buffer.from(bytes);
  let dpi = null;
  for (let at = 8; at < b.length; at += 12 + b.readUInt32BE(at)) {
    if (b.toString('latin1', at + 4, at + 8) === 'pHYs' && b[at + 16] === 1) dpi = [b.readUInt32BE(at + 8) * 0.0254, b.readUInt32BE(at + 12) * 0.0254];
  }
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), dpi };
}

/** The entries of a ZIP (stored, as the page writes them): [{ name, bytes, crc }], read from its central directory. */
export function unzipStored(bytes) {
  const b = Buffer.from(bytes);
  const end = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = b.readUInt16LE(end + 10);
  let at = b.readUInt32LE(end + 16);
  const out = [];
  for (let i = 0; i < count; i++) {
    if (b.readUInt32LE(at) !== 0x02014b50) throw new Error('bad central directory');
    const method = b.readUInt16LE(at + 10);
    const crc = b.readUInt32LE(at + 16);
    const size = b.readUInt32LE(at + 20);
    const nameLen = b.readUInt16LE(at + 28);
    const extra = b.readUInt16LE(at + 30) + b.readUInt16LE(at + 32);
    const local = b.readUInt32LE(at + 42);
    const name = b.toString('utf8', at + 46, at + 46 + nameLen);
    if (b.readUInt32LE(local) !== 0x04034b50 || method !== 0) throw new Error(`${name}: not a stored entry`);
    const start = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
    out.push({ name, crc, bytes: b.subarray(start, start + size) });
    at += 46 + nameLen + extra;
  }
  return out;
}

/** A PDF's pages and image objects (counted in its text: Chromium's PDFs keep their objects' dictionaries plain). */
export function pdfInfo(bytes) {
  const text = Buffer.from(bytes).toString('latin1');
  return { pages: (text.match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length, images: (text.match(/\/Subtype\s*\/Image\b/g) ?? []).length };
}
