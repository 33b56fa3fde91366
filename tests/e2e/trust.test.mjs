// Trust: hostile text through the page, every chart and every export; privacy across a whole
// session (no request beyond the page's own files, CSP, storage); very large input (a clear
// message, a responsive tab) and a 10,000-patient paste analysed without freezing the page.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { session, built, waitAnalysed, tableRows, downloadOf, foreignRequests, ROOT, parseCsv, realPaste } from './helpers.mjs';

const CHARTS = ['trajectories', 'patient', 'slopegraph', 'waterfall', 'group_mean', 'interval'];
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const LONG_ID = `<i>${'x'.repeat(9993)}</i>`; // 10,000 characters

const HOSTILE_IDS = [
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '</script><script>alert(1)</script>',
  '"><iframe src=javascript:alert(1)>',
  'javascript:alert(1)',
  '=HYPERLINK("http://x","y")',
  "+cmd|' /C calc'!A0",
  '-1+1',
  '@SUM(A1)',
  '\u202Eevil',
  LONG_ID,
  'nul\u0000byte',
  'soh\u0001x',
  'bell\u0007ring',
  '\u001b[31mred',
  '🧠🧪',
  "' OR 1=1 --",
  "{{constructor.constructor('alert(1)')()}}",
  '<b>bold</b>',
  '&amp;&lt;',
  '%3Cscript%3E',
  '<style>*{display:none}</style>',
  'data:text/html,<script>alert(1)</script>',
  'comma,and "quote";semi',
];
const HOSTILE_GROUPS = ['<svg onload=alert(2)>', "=cmd|' /C calc'!A0", '</style><b>arm</b>', '@arm\u0007'];

/** One field of a CSV row, always quoted (RFC 4180). */
const q = (s) => `"${String(s).replace(/"/g, '""')}"`;

/** Long layout: every patient 4 dated lead-in visits, an injection, 3 visits after it. */
function hostileCsv() {
  const rows = ['patient,group,date,alsfrs_r,event'];
  HOSTILE_IDS.forEach((id, p) => {
    const group = HOSTILE_GROUPS[p % HOSTILE_GROUPS.length];
    const pre = 0.6 + (p % 7) * 0.15;
    const post = pre * (0.2 + (p % 5) * 0.2);
    let score = 44 - (p % 3);
    for (let v = 0; v < 7; v++) {
      const date = `2021-${String(v + 1).padStart(2, '0')}-${String(3 + (p % 20)).padStart(2, '0')}`;
      rows.push([q(id), q(group), date, Math.round(score * 10) / 10, v === 3 ? 'injection' : ''].join(','));
      score -= v < 3 ? pre : post;
    }
  });
  return rows.join('\n') + '\n';
}


/** Installed before any page script: records elements/attributes added after parsing, CSP violations. */
function instrument() {
  const BAD = new Set(['img', 'svg', 'iframe', 'frame', 'script', 'style', 'b', 'i', 'object', 'embed', 'math', 'link', 'meta', 'base', 'form', 'video', 'audio', 'foreignobject']);
  // the page's own markup (parsed from index.html) is the baseline; records of it may arrive late
  const baseline = new WeakSet();
  document.addEventListener('DOMContentLoaded', () => document.querySelectorAll('*').forEach((e) => baseline.add(e)));
  const nodes = [];
  const t = (window.__trust = {
    get bad() {
      return nodes.filter((n) => typeof n === 'string' || !baseline.has(n)).map((n) => (typeof n === 'string' ? n : n.outerHTML.slice(0, 200)));
    },
    onAttrs: [],
    violations: [],
  });
  const check = (n) => {
    if (n.nodeType !== 1) return;
    if (BAD.has(n.localName.toLowerCase())) nodes.push(n);
    for (const a of n.attributes ?? []) if (/^on/i.test(a.name)) t.onAttrs.push(`${n.localName} ${a.name}`);
    for (const c of n.children ?? []) check(c);
  };
  new MutationObserver((muts) => {
    for (const m of muts) {
      for (const n of m.addedNodes) check(n);
      if (m.type === 'attributes' && /^on/i.test(m.attributeName)) t.onAttrs.push(`${m.target.localName} ${m.attributeName}`);
    }
  }).observe(document, { childList: true, subtree: true, attributes: true });
  t.states = [];
  new MutationObserver(() => t.states.push([document.body.dataset.state, Math.round(performance.now())])).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
  document.addEventListener('securitypolicyviolation', (e) => t.violations.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample }));
  window.alert = window.confirm = window.prompt = (...a) => nodes.push(`dialog ${a}`);
}

/** Chained setTimeout(0) probes in the page: every gap the main thread could not answer. */
function startProbes() {
  const p = (window.__probes = { lat: [], raf: [], run: true });
  let last = performance.now();
  const frame = (now) => {
    p.raf.push([Math.round(now - last), Math.round(now)]);
    last = now;
    if (p.run) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const tick = () => {
    const state = document.body.dataset.state;
    const t0 = performance.now();
    setTimeout(() => {
      p.lat.push({ ms: performance.now() - t0, state, end: document.body.dataset.state, at: Math.round(t0) });
      if (p.run) setTimeout(tick, 20);
    }, 0);
  };
  tick();
}
function stopProbes() {
  window.__probes.run = false;
  return window.__probes.lat;
}

describe('trust', { skip: !built() && 'page not built (node scripts/build.mjs)' }, () => {
  let s;
  const contexts = [];
  /** A page with clipboard permission, the instrumentation, and a record of requests of its context. */
  const openPage = async ({ permissions = [] } = {}) => {
    const context = await s.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    contexts.push(context);
    if (permissions.length) await context.grantPermissions(permissions, { origin: s.base });
    await context.addInitScript(instrument);
    const page = await context.newPage();
    page.requests = [];
    page.errors = [];
    page.dialogs = [];
    page.crashed = false;
    const rec = (r) => page.requests.push(r.url());
    page.on('request', rec);
    context.on('request', rec);
    page.on('websocket', (w) => page.requests.push(w.url()));
    page.on('worker', (w) => page.requests.push(w.url()));
    page.on('console', (m) => m.type() === 'error' && page.errors.push(m.text()));
    page.on('pageerror', (e) => page.errors.push(String(e)));
    page.on('crash', () => (page.crashed = true));
    page.on('dialog', (d) => {
      page.dialogs.push(d.message());
      d.dismiss().catch(() => {});
    });
    return page;
  };
  const trust = (page) => page.evaluate(() => ({ ...window.__trust, bad: window.__trust.bad }));
  /** downloadOf, paced: Chromium drops an anchor download when a frame starts more than ~10 a
   * second (every 11th of a quick burst never arrives), which is the browser, not the page. */
  const fetchDownload = async (page, selector) => {
    const wait = 150 - (Date.now() - (page.lastDownload ?? 0));
    if (wait > 0) await page.waitForTimeout(wait);
    try {
      return await downloadOf(page, selector);
    } finally {
      page.lastDownload = Date.now();
    }
  };

  before(async () => {
    s = await session();
  });
  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await s?.close();
  });

  test('hostile text through the page, every chart and every export', async () => {
    const page = await openPage();
    await page.goto(s.base);
    await page.waitForFunction(() => document.body.dataset.engine);
    const csv = hostileCsv();
    await page.evaluate(() => (document.body.dataset.state = 'pending'));
    await page.fill('#data', csv);
    await page.dispatchEvent('#data', 'input');
    await waitAnalysed(page);
    await page.waitForFunction(() => document.body.dataset.charts === 'drawn');
    assert.equal(await page.inputValue('#data'), csv, 'the textarea keeps the text');

    // every hostile id is a patient with rates, shown literally in the table
    const a = await page.evaluate(() => window.alsAnalysis());
    const ids = [...new Set(a.patients.map((p) => p.id))];
    assert.deepEqual([...ids].sort(), [...HOSTILE_IDS].sort(), 'every hostile id is a patient, unchanged');
    for (const p of a.patients) assert.ok(p.pre_rate != null && p.post_rate != null, `rates for ${JSON.stringify(p.id).slice(0, 60)}`);
    const groups = new Set(a.patients.map((p) => p.group));
    assert.deepEqual([...groups].sort(), [...HOSTILE_GROUPS].sort(), 'hostile group names unchanged');
    const shown = await page.$$eval('#patients tbody tr th button', (bs) => bs.map((b) => b.textContent));
    assert.deepEqual([...shown].sort(), [...HOSTILE_IDS].sort(), 'ids shown literally in the table');
    const tableText = await page.$eval('#patients tbody', (t) => t.textContent);
    assert.ok(tableText.includes('<img src=x onerror=alert(1)>'), 'the <img> id is literal text');
    const rows = await tableRows(page);
    for (const g of HOSTILE_GROUPS) assert.ok(rows.some((r) => r[1] === g.trim()), `group ${JSON.stringify(g)} shown literally`);

    // select several hostile patients: explain panel as text, charts redrawn
    const pick = ['<img src=x onerror=alert(1)>', '</script><script>alert(1)</script>', '\u001b[31mred', 'nul\u0000byte', '\u202Eevil', LONG_ID, '<style>*{display:none}</style>', "{{constructor.constructor('alert(1)')()}}"];
    const svgs = [];
    for (const id of pick) {
      const index = await page.$$eval('#patients tbody tr', (trs, id) => trs.findIndex((tr) => tr.dataset.id === id), id);
      assert.ok(index >= 0, `row for ${JSON.stringify(id).slice(0, 60)}`);
      await page.click(`#patients tbody tr:nth-child(${index + 1}) th button`);
      await page.waitForFunction((id) => document.body.dataset.charts === 'drawn' && document.getElementById('explain').textContent.includes(`Patient ${id},`), id);
      assert.equal(await page.$eval('#patients tr.selected', (tr) => tr.dataset.id), id);
      for (const name of CHARTS) assert.doesNotMatch(await page.textContent(`#cap-${name}`), /not available/, `${name} drawn with ${JSON.stringify(id).slice(0, 40)} selected`);
      const explainHtml = await page.$eval('#explain', (e) => e.querySelectorAll('*:not(h3):not(p):not(ul):not(li)').length);
      assert.equal(explainHtml, 0, 'explain panel holds only text paragraphs');
      // the selected patient's chart as SVG: the id is in it as escaped text
      const dl = await fetchDownload(page, 'button[data-svg="patient"]');
      svgs.push({ name: `patient (${JSON.stringify(id).slice(0, 40)})`, svg: dl.bytes.toString('utf8'), id });
    }
    // every chart as SVG (with a hostile patient selected) and PNG
    for (const name of CHARTS) {
      const { name: file, bytes } = await fetchDownload(page, `button[data-svg="${name}"]`);
      assert.match(file, /\.svg$/);
      svgs.push({ name, svg: bytes.toString('utf8') });
      const png = await fetchDownload(page, `button[data-png="${name}"]`);
      assert.match(png.name, /\.png$/);
      assert.deepEqual(png.bytes.subarray(0, 8), PNG_SIGNATURE, `${name}.png is a PNG`);
    }
    for (const { name, svg, id } of svgs) {
      assert.doesNotMatch(svg, /<\s*(img|script|iframe|style|foreignObject|object|embed|b|i)[\s>/]/i, `${name}.svg: no markup from user text`);
      assert.doesNotMatch(svg, /<[^>]*\son\w+\s*=/i, `${name}.svg: no event-handler attribute`);
      const parsed = await page.evaluate((text) => {
        const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
        const err = doc.querySelector('parsererror');
        if (err) return { error: err.textContent.slice(0, 300) };
        const all = [...doc.querySelectorAll('*')];
        return {
          root: doc.documentElement.localName,
          tags: [...new Set(all.map((e) => e.localName))],
          handlers: all.flatMap((e) => [...e.attributes].filter((x) => /^on/i.test(x.name) || /^\s*(javascript|data):/i.test(x.value)).map((x) => x.name)),
          text: doc.documentElement.textContent,
        };
      }, svg);
      assert.equal(parsed.error, undefined, `${name}.svg parses as XML: ${parsed.error}`);
      assert.equal(parsed.root, 'svg');
      const allowed = new Set(['svg', 'g', 'rect', 'line', 'polyline', 'polygon', 'path', 'circle', 'ellipse', 'text', 'tspan', 'title', 'desc', 'defs', 'clipPath', 'use']);
      assert.deepEqual(parsed.tags.filter((t) => !allowed.has(t)), [], `${name}.svg: only drawing elements`);
      assert.deepEqual(parsed.handlers, [], `${name}.svg: no handlers or script URLs`);
      if (id && !id.includes('\u202E')) {
        const shown = id.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 12);
        assert.ok(parsed.text.includes(shown), `${name}.svg names the patient as text (${JSON.stringify(shown)})`);
      }
    }

    // CSV: no cell a spreadsheet would run; every id is there (behind its neutralising quote)
    const { bytes: csvBytes } = await fetchDownload(page, '#export-csv');
    const table = parseCsv(csvBytes.toString('utf8'));
    assert.ok(table.length > HOSTILE_IDS.length, 'header + a row per patient');
    const idCol = table[0].findIndex((h) => /^(patient|id)$/i.test(h));
    assert.ok(idCol >= 0, `an id column in ${table[0]}`);
    for (const row of table) {
      assert.equal(row.length, table[0].length, `row has ${table[0].length} cells: ${JSON.stringify(row).slice(0, 120)}`);
      for (const cell of row) {
        if (/^[=+\-@\t\r]/.test(cell)) assert.ok(cell.trim() !== '' && Number.isFinite(Number(cell)), `formula-like cell: ${JSON.stringify(cell).slice(0, 80)}`);
      }
    }
    const exported = new Set(table.slice(1).map((r) => r[idCol]));
    for (const id of HOSTILE_IDS) assert.ok(exported.has(id) || exported.has(`'${id}`), `CSV has ${JSON.stringify(id).slice(0, 60)}`);

    // JSON: the ids round-trip exactly
    const { bytes: jsonBytes } = await fetchDownload(page, '#export-json');
    const j = JSON.parse(jsonBytes.toString('utf8'));
    assert.deepEqual([...new Set(j.patients.map((p) => p.id))].sort(), [...HOSTILE_IDS].sort(), 'JSON ids round-trip');

    // nothing ran, nothing was made from user text
    const t = await trust(page);
    assert.deepEqual(page.dialogs, [], 'no dialog');
    assert.deepEqual(t.bad, [], 'no markup element created after load');
    assert.deepEqual(t.onAttrs, [], 'no event-handler attribute set');
    assert.deepEqual(t.violations.filter((v) => /script/.test(v.directive)), [], 'no script blocked by the CSP (nothing tried to run)');
    const dom = await page.evaluate(() => ({
      bad: document.querySelectorAll('img, svg, iframe, frame, object, embed, b, i, math, foreignObject').length,
      scripts: [...document.scripts].map((x) => x.getAttribute('src')),
      styles: document.querySelectorAll('style').length,
      links: [...document.querySelectorAll('link')].map((l) => l.getAttribute('href')),
      onAttrs: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((x) => /^on/i.test(x.name)).map((x) => `${e.localName} ${x.name}`)),
    }));
    assert.equal(dom.bad, 0, 'no img/svg/iframe/b/i element in the document');
    assert.deepEqual(dom.scripts, ['www/main.js'], 'only the page\'s own script');
    assert.equal(dom.styles, 0, 'no <style> element');
    // index.html's own links only: the icon, the stylesheet and the preloaded modules.
    assert.deepEqual(dom.links, ['data:,', 'www/style.css', 'www/engine.js', 'www/share.js', 'www/core.js', 'www/pkg/als_core.js', 'www/pkg/als_core_wasm.js', 'www/unlzma.js', 'www/pkg/unlzma_wasm.js']);
    assert.deepEqual(dom.onAttrs, []);
    assert.ok(await page.isVisible('#patients'), 'the table is still displayed (no injected CSS)');
    assert.deepEqual(page.errors, [], 'no console errors');
    // (#banner is shown and hidden with its `hidden` attribute)
    assert.equal(await page.isVisible('#banner'), false, `no banner shown (display ${await page.$eval('#banner', (b) => getComputedStyle(b).display)}, hidden=${await page.$eval('#banner', (b) => b.hidden)}, text ${JSON.stringify(await page.textContent('#banner'))})`);

  });

  test('privacy: no request beyond the page\'s own files during a whole session', async () => {
    const page = await openPage({ permissions: ['clipboard-read', 'clipboard-write'] });
    await page.goto(s.base);
    await page.waitForFunction(() => document.body.dataset.engine);

    // the CSP forbids every connection: fetch and beacons fail, same origin included
    const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
    assert.match(csp, /connect-src 'none'/);
    const probes = await page.evaluate(async () => {
      const tryFetch = (u) => fetch(u, { mode: 'no-cors' }).then(() => 'resolved', (e) => `rejected: ${e.name}`);
      let beacon;
      try {
        beacon = navigator.sendBeacon('https://example.com/beacon', 'x');
      } catch (e) {
        beacon = `threw ${e.name}`;
      }
      return { foreign: await tryFetch('https://example.com/'), own: await tryFetch(location.href), beacon };
    });
    assert.match(probes.foreign, /^rejected/, 'fetch(https://example.com) is blocked');
    assert.match(probes.own, /^rejected/, 'fetch of the page itself is blocked (connect-src none)');
    // Chromium's sendBeacon returns true and then lets the CSP block the request: accept that
    // only when the violation is reported (and, below, no request to example.com was seen).
    if (probes.beacon === true) {
      await page.waitForFunction(() => window.__trust.violations.some((v) => v.directive === 'connect-src' && v.blocked.startsWith('https://example.com/beacon')));
    } else assert.ok(probes.beacon === false || /^threw/.test(probes.beacon), `sendBeacon refused (got ${probes.beacon})`);

    // paste a cohort with two measures and an onset column
    const lines = ['patient,group,date,alsfrs_r,fvc,event,onset'];
    for (let p = 0; p < 8; p++) {
      for (let v = 0; v < 7; v++) {
        const date = `2022-${String(v + 2).padStart(2, '0')}-${String(5 + p).padStart(2, '0')}`;
        const rate = v < 3 ? 0.9 + p * 0.1 : 0.3 + (p % 3) * 0.2;
        lines.push(`PRIV-${p + 1},${p % 2 ? 'placebo' : 'treated'},${date},${Math.round(44 - v * rate)},${90 - v * 2 - p},${v === 3 ? 'injection' : ''},${v === 0 ? '2021-03-01' : ''}`);
      }
    }
    const text = lines.join('\n') + '\n';
    const step = async (fn) => {
      await page.evaluate(() => (document.body.dataset.state = 'pending'));
      await fn();
      await waitAnalysed(page);
      await page.waitForFunction(() => document.body.dataset.charts === 'drawn');
    };
    await step(() => page.fill('#data', text));
    await step(() => page.click('#analyze-btn'));
    // every setting
    const measures = await page.$$eval('#measure option', (os) => os.map((o) => o.value));
    assert.ok(measures.includes('fvc'), `fvc measured (${measures})`);
    await page.selectOption('#measure', 'fvc');
    await page.waitForFunction(() => document.body.dataset.charts === 'drawn');
    await page.selectOption('#measure', 'alsfrs_r');
    await step(() => page.fill('#month_days', '30').then(() => page.dispatchEvent('#month_days', 'change')));
    for (const v of ['onset', 'lead-in', 'auto']) await step(() => page.selectOption('#pre_source', v));
    await step(() => page.fill('#responder_pct', '40').then(() => page.dispatchEvent('#responder_pct', 'change')));
    await step(() => page.fill('#responder_abs', '0.2').then(() => page.dispatchEvent('#responder_abs', 'change')));
    for (const v of ['first_visit', 'onset', 'first_event']) await step(() => page.selectOption('#time_origin', v));
    await page.selectOption('#error_bars', 'se');
    await page.waitForFunction(() => document.body.dataset.charts === 'drawn');
    // a patient
    await page.click('#patients tbody tr th button');
    await page.waitForFunction(() => document.body.dataset.charts === 'drawn' && /Patient PRIV-/.test(document.getElementById('explain').textContent), null, { timeout: 10000 }).catch(async (e) => {
      const st = await page.evaluate(() => ({ ...document.body.dataset, explain: document.getElementById('explain').textContent.slice(0, 150), status: document.getElementById('status').textContent, rows: document.querySelectorAll('#patients tbody tr').length, measure: document.getElementById('measure').value }));
      assert.fail(`selecting a patient: ${e.message.split('\n')[0]}; ${JSON.stringify(st)}; errors ${page.errors}`);
    });
    // every export
    for (const name of CHARTS) {
      for (const kind of ['png', 'svg']) {
        const got = await fetchDownload(page, `button[data-${kind}="${name}"]`).catch((e) => e);
        assert.ok(!(got instanceof Error), `${name}.${kind} downloaded (${got.message?.split('\n')[0]}; caption: ${await page.textContent(`#cap-${name}`)}; banner: ${await page.textContent('#banner')})`);
        assert.match(got.name, new RegExp(`\\.${kind}$`));
      }
    }
    assert.match((await fetchDownload(page, '#export-csv')).name, /\.csv$/);
    assert.match((await fetchDownload(page, '#export-json')).name, /\.json$/);
    // link with data, embed code
    await page.click('#share-btn');
    await page.waitForSelector('#share-note:not([hidden])');
    assert.match(new URL(page.url()).hash, /^#data=/);
    await page.click('#embed-btn');
    await page.waitForSelector('#embed-code:not([hidden])');

    // storage: nothing in localStorage; the pasted text in sessionStorage until Clear
    const store = await page.evaluate(() => ({ local: localStorage.length, session: Object.values({ ...sessionStorage }).join('\n') }));
    assert.equal(store.local, 0, 'nothing in localStorage');
    assert.ok(store.session.includes(JSON.stringify(text).slice(1, -1)), 'sessionStorage holds the pasted text');
    await page.click('#clear-btn');
    assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'sessionStorage empty after Clear');
    // still empty once the page's 200 ms save debounce would have run
    await page.waitForTimeout(600);
    assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'sessionStorage still empty after Clear');
    assert.equal(await page.evaluate(() => localStorage.length), 0);

    // the embed view of an example
    await page.goto(`${s.base}?embed=1#example=controls`);
    await waitAnalysed(page);
    await page.waitForFunction(() => document.body.dataset.charts === 'drawn');
    assert.equal(await page.evaluate(() => localStorage.length), 0);

    assert.ok(page.requests.length > 0);
    assert.deepEqual([...new Set(foreignRequests(page.requests, s.base))], [], 'no foreign request');
    const paths = new Set(page.requests.filter((u) => u.startsWith(s.base)).map((u) => new URL(u).pathname));
    for (const p of paths) assert.ok(p === '/' || p === '/index.html' || p.startsWith('/www/'), `unexpected path ${p}`);
    assert.ok((await trust(page)).violations.every((v) => v.directive === 'connect-src'), 'no CSP violation from the page itself');
    assert.deepEqual(page.errors.filter((e) => !/Content Security Policy|example\.com|Failed to fetch/i.test(e)), []);
  });

  // ~50 MB paste: one page shared by the two tests below.
  let big;
  test('very large input (~50 MB): a clear message, the full text kept, the tab alive', async () => {
    const page = await openPage();
    await page.goto(s.base);
    await page.waitForFunction(() => document.body.dataset.engine);
    const length = await page.evaluate((startProbes) => {
      const rows = ['patient,group,date,alsfrs_r,event'];
      let size = rows[0].length + 1;
      for (let p = 0; size < 50 * 1024 * 1024; p++) {
        for (let v = 0; v < 8; v++) {
          const row = `BIG-${String(p).padStart(7, '0')},${p % 2 ? 'placebo' : 'treated'},2020-${String(v + 1).padStart(2, '0')}-15,${44 - v},${v === 3 ? 'injection' : ''}`;
          rows.push(row);
          size += row.length + 1;
        }
      }
      const text = rows.join('\n') + '\n';
      document.body.dataset.state = 'pending';
      const ta = document.getElementById('data');
      window.__before = ta.value;
      // A real paste: a paste event carrying the text (the page decides where it goes).
      const dt = new DataTransfer();
      dt.setData('text/plain', text);
      ta.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
      // probe from the moment the text is in the textarea (the page's own reaction included)
      new Function(`(${startProbes})()`)();
      return text.length;
    }, startProbes.toString());
    big = { page, length };
    assert.ok(length >= 50 * 1024 * 1024, `${length} characters`);
    await page.waitForFunction(() => document.body.dataset.state === 'too-large', null, { timeout: 120000, polling: 250 });
    // keep probing after the message: the page must settle, not keep working
    await page.waitForFunction(() => window.__probes.lat.filter((x) => x.state === 'too-large').length >= 10, null, { timeout: 60000, polling: 250 });
    big.lat = await page.evaluate(stopProbes);
    assert.ok(await page.isVisible('#banner'), 'a visible banner');
    const banner = await page.textContent('#banner');
    assert.match(banner, /\d+(\.\d+)? MB/, `banner mentions MB: ${banner}`);
    assert.match(banner, /command-line/i, `banner mentions the command-line tool: ${banner}`);
    assert.match(await page.textContent('#status'), /too large/i);
    // Nothing is lost: the page holds all of the pasted text and saves it as a file for the CLI;
    // the paste area keeps what it had (a 50 MB <textarea> would freeze Chromium for ~30 s).
    assert.equal(await page.evaluate(() => window.alsOversizedLength()), length, 'the page keeps all the pasted text');
    assert.equal(await page.evaluate(() => document.getElementById('data').value === window.__before), true, 'the paste area keeps what it had');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#banner button:not(.dismiss)')]);
    const { statSync } = await import('node:fs');
    assert.equal(statSync(await dl.path()).size, length, 'the saved file holds all the text');
    assert.equal(await page.evaluate(() => window.alsAnalysis()), null, 'nothing was analysed');
    assert.equal(await page.evaluate(() => 1 + 1), 2, 'the tab answers');
    assert.equal(page.crashed, false, 'the tab did not crash');
  });

  test('very large input (~50 MB): the main thread answers setTimeout(0) within 500 ms', async (t) => {
    if (!big?.lat) return t.skip('the 50 MB paste did not complete');
    const { lat, page } = big;
    assert.ok(lat.length >= 3, `${lat.length} probes`);
    const states = (await trust(page)).states;
    const slow = lat.filter((x) => x.ms >= 500).map((x) => `${x.ms.toFixed(0)} ms from t=${x.at} (${x.state})`);
    // (A block right after the paste is Chromium laying out the 50 MB <textarea>: a bare page with
    // only a textarea blocks as long. The page can only avoid it by not putting such text there.)
    assert.deepEqual(slow, [], `setTimeout(0) probes answered within 500 ms after the paste; page state changes (ms since load): ${JSON.stringify(states)}`);
  });

  test('a 10,000-patient paste (~4.4 MB) is analysed within 120 s; the main thread stays free while the worker runs', async () => {
    await big?.page.context().close(); // free the 50 MB tab
    const cohort = synthCohort();
    assert.ok(cohort.length > 4 * 1024 * 1024, `cohort is ${(cohort.length / 1e6).toFixed(1)} MB`);
    const page = await openPage();
    await page.goto(s.base);
    await page.waitForFunction(() => document.body.dataset.engine);
    await page.evaluate(() => (document.body.dataset.state = 'pending'));
    await page.$eval('#data', realPaste, cohort);
    await page.evaluate(startProbes);
    await page.waitForFunction(() => document.body.dataset.state === 'busy', null, { timeout: 30000, polling: 50 });
    await page.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 120000, polling: 250 });
    const lat = await page.evaluate(stopProbes);
    const ids = await page.evaluate(() => new Set(window.alsAnalysis().patients.map((p) => p.id)).size);
    assert.equal(ids, 10000, '10,000 patients analysed');
    assert.ok((await tableRows(page)).length > 0, 'the table shows patients');
    assert.equal(page.crashed, false);
    // 'busy' is the worker's analysis (~0.6–0.8 s here); the main thread has nothing to do then.
    // Probes that began and were answered while busy; one that waited on putting the result on
    // the page ('showing') is not about the worker: that step is measured by `npm run bench:page`.
    const busy = lat.filter((x) => x.state === 'busy' && x.end === 'busy');
    assert.ok(busy.length >= 3, `${busy.length} probes while busy`);
    const slow = busy.filter((x) => x.ms >= 500).map((x) => `${x.ms.toFixed(0)} ms from t=${x.at}`);
    const measures = await page.evaluate(() => performance.getEntriesByType('measure').map((m) => `${m.name} at ${Math.round(m.startTime)} took ${Math.round(m.duration)} ms`));
    assert.deepEqual(slow, [], `setTimeout(0) probes answered within 500 ms while the worker ran; states ${JSON.stringify((await trust(page)).states)}; page measures: ${measures.join('; ')}`);
    assert.equal(await page.isVisible('#banner'), false, `no banner after a successful analysis (banner: ${JSON.stringify(await page.textContent('#banner'))})`);
  });
});

/** `als-progression synth --design controls --patients 10000 --seed 42`: the built binary, else cargo, else JS. */
function synthCohort() {
  const args = ['synth', '--design', 'controls', '--patients', '10000', '--seed', '42'];
  const bin = join(ROOT, 'target', 'release', 'als-progression');
  const tries = existsSync(bin) ? [[bin, args]] : [];
  tries.push(['cargo', ['run', '--release', '--quiet', '--', ...args]]);
  for (const [cmd, a] of tries) {
    const r = spawnSync(cmd, a, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 600000 });
    if (r.status === 0 && r.stdout.length > 1e6) return r.stdout;
  }
  // similar text built here: long layout, dated visits, an event, onset
  const rows = ['patient,group,visit_date,alsfrs_r,fvc,event,onset'];
  for (let p = 1; p <= 10000; p++) {
    const id = `SYN-${String(p).padStart(5, '0')}`;
    const group = ['MSC', 'control', 'placebo'][p % 3];
    for (let v = 0; v < 12; v++) {
      const d = new Date(Date.UTC(2012, 0, 10 + v * 30 + (p % 20)));
      rows.push(`${id},${group},${d.toISOString().slice(0, 10)},${Math.max(0, 44 - v - (p % 5))},${98 - v * 2},${v === 4 ? 'injection' : ''},${v === 0 ? '2011-06-15' : ''}`);
    }
  }
  return rows.join('\n') + '\n';
}
