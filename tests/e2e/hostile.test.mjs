// Hostile use of the page (#27): no code path opens a window or navigates (read from the code,
// and watched through a whole session), oversized link data refused before it is decoded, the
// preview bounded by characters, settings from a link or the session that the engine cannot use
// dropped with a message (never kept), banners without a literal "null", the served headers
// (CSP with frame-ancestors and sandbox, X-Frame-Options), and the full page inert in a frame.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { get } from 'node:http';
import { session, built, waitAnalysed, pasteData, downloadOf, ROOT } from './helpers.mjs';
import { serve } from '../../scripts/serve.mjs';

/** Every .js file under `dir` (recursively). */
function jsFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? jsFiles(join(dir, e.name)) : e.name.endsWith('.js') || e.name.endsWith('.mjs') ? [join(dir, e.name)] : []));
}

// What opens a window, navigates the page (or a frame, or a form) or reaches the network outside
// the CSP's reach.
const FORBIDDEN = [
  [/\bwindow\s*\.\s*open\s*\(/, 'window.open'],
  [/(^|[^.\w$])open\s*\(/, 'open('],
  [/\blocation\s*\.\s*(assign|replace|reload)\s*\(/, 'location.assign/replace/reload'],
  [/\blocation\s*(\.\s*href\s*)?=(?!=)/, 'location ='],
  [/\b(top|parent|opener)\s*\.\s*(location|postMessage)/, 'top/parent/opener'],
  [/\.\s*submit\s*\(/, 'form submit'],
  [/RTCPeerConnection|RTCDataChannel/, 'WebRTC'],
  [/sendBeacon|new\s+WebSocket|EventSource|WebTransport/, 'beacon / socket'],
  [/_blank/, 'target _blank'],
  [/document\s*\.\s*write/, 'document.write'],
  [/\.\s*(href|src|action)\s*=\s*['"`]?(https?:|\/\/)/, 'a URL to elsewhere'],
];

describe('hostile: no window, no navigation, in the code', () => {
  test('no code path of the page opens a window or navigates', () => {
    const files = [...jsFiles(join(ROOT, 'www')).filter((f) => !f.includes(`${join('www', 'pkg')}`)), ...jsFiles(join(ROOT, 'www', 'pkg')), join(ROOT, 'scripts', 'single-loader.js')];
    if (existsSync(join(ROOT, 'dist', 'www', 'main.js'))) files.push(join(ROOT, 'dist', 'www', 'main.js'));
    assert.ok(files.length > 15, `${files.length} files`);
    const found = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const [re, what] of FORBIDDEN) {
        const m = text.match(re);
        if (m) found.push(`${f.slice(ROOT.length + 1)}: ${what} (${text.slice(Math.max(0, m.index - 40), m.index + 40).replace(/\s+/g, ' ')})`);
      }
    }
    assert.deepEqual(found, []);
    // The one navigation-like call the page makes: history.replaceState with its own address
    // (read in the sources: the bundle is made from them).
    for (const f of files.filter((f) => f.startsWith(join(ROOT, 'www')) && !f.includes('pkg'))) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/history\s*\.\s*(push|replace)State\s*\(([^;]*)/g)) {
        assert.match(m[2], /^null, '', (url|`\$\{location\.pathname\}|location\.pathname)/, `${f}: ${m[0]}`);
      }
    }
  });
});

/** Fetches `path` from `base`: { status, headers }. */
function head(base, path) {
  return new Promise((resolve, reject) => {
    get(new URL(path, base), (res) => {
      res.resume();
      resolve({ status: res.statusCode, headers: res.headers });
    }).on('error', reject);
  });
}

/** A #data= link's fragment as share.js makes it. */
function linkData(state) {
  return deflateRawSync(Buffer.from(JSON.stringify(state))).toString('base64url');
}

function cohort() {
  const rows = ['subject,arm,date,alsfrs_r,event'];
  for (let p = 1; p <= 6; p++) {
    for (let v = 0; v < 6; v++) rows.push(`S${p},${p % 2 ? 'A' : 'B'},2021-${String(v + 1).padStart(2, '0')}-10,${44 - v * (p % 3 + 1)},${v === 2 ? 'injection' : ''}`);
  }
  return rows.join('\n') + '\n';
}

describe('hostile: the page', { skip: !built() && 'page not built (node scripts/build.mjs)' }, () => {
  let s;
  const contexts = [];
  /** A page whose window.open, form submits, WebRTC and anchor clicks are recorded. */
  const openPage = async () => {
    const context = await s.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    contexts.push(context);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: s.base });
    await context.addInitScript(() => {
      const w = (window.__hostile = { calls: [] });
      const note = (what) => w.calls.push(what);
      window.open = (...a) => (note(`window.open ${a[0]}`), null);
      HTMLFormElement.prototype.submit = function () {
        note('form.submit');
      };
      const click = HTMLAnchorElement.prototype.click;
      HTMLAnchorElement.prototype.click = function () {
        if (!this.href.startsWith('blob:')) note(`a.click ${this.href}`);
        return click.call(this);
      };
      for (const k of ['RTCPeerConnection', 'webkitRTCPeerConnection']) {
        if (window[k]) window[k] = function () {
          note(k);
          throw new Error('no');
        };
      }
    });
    const page = await context.newPage();
    page.errors = [];
    page.navigations = [];
    page.popups = [];
    page.on('pageerror', (e) => page.errors.push(String(e)));
    page.on('popup', (p) => page.popups.push(p.url()));
    context.on('page', (p) => p !== page && page.popups.push(p.url()));
    page.on('framenavigated', (f) => f === page.mainFrame() && page.navigations.push(f.url()));
    return page;
  };

  before(async () => {
    s = await session();
  });
  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await s?.close();
  });

  test('a whole session opens no window and navigates nowhere', async () => {
    const page = await openPage();
    await page.goto(s.base);
    await page.waitForFunction(() => document.body.dataset.engine);
    await pasteData(page, cohort());
    await waitAnalysed(page);
    await page.waitForFunction(() => document.body.dataset.charts === 'drawn');
    await page.selectOption('#pre_source', 'lead-in');
    await waitAnalysed(page);
    await page.click('#patients tbody tr th button');
    for (const sel of ['#export-csv', '#export-json', 'button[data-svg="trajectories"]', 'button[data-png="waterfall"]']) {
      await downloadOf(page, sel);
      await page.waitForTimeout(150);
    }
    await page.click('#share-btn');
    await page.waitForSelector('#share-note:not([hidden])');
    await page.click('#embed-btn');
    await page.waitForSelector('#embed-code:not([hidden])');
    await page.click('#clear-btn');
    await page.evaluate(() => window.open('https://example.com/?should-be-recorded'));
    const calls = await page.evaluate(() => window.__hostile.calls);
    assert.deepEqual(calls, ['window.open https://example.com/?should-be-recorded'], 'only the test itself opened a window');
    assert.deepEqual(page.popups, []);
    for (const u of page.navigations) {
      const url = new URL(u);
      assert.equal(url.origin + url.pathname, new URL(s.base).origin + '/', `navigated to ${u}`);
    }
    assert.deepEqual(page.errors, []);
  });

  test('banners have no literal "null"', async () => {
    const page = await openPage();
    await page.goto(`${s.base}#data=not-a-link`);
    await page.waitForSelector('#banner:not([hidden])');
    const text = await page.textContent('#banner');
    assert.match(text, /could not be read/);
    assert.doesNotMatch(text, /null/);
    assert.equal(await page.$$eval('#banner > *', (es) => es.length), 2, 'the message and the close button');
  });

  test('oversized link data is refused before it is decoded, the tab alive', async () => {
    const page = await openPage();
    // 100 MB of text on one line in a 100 KB link.
    const big = { text: `subject,month,alsfrs_r\n${'x'.repeat(100 * 1024 * 1024)}`, settings: {} };
    const fragment = linkData(big);
    assert.ok(fragment.length < 200 * 1024, `${fragment.length}`);
    const t0 = Date.now();
    await page.goto(`${s.base}#data=${fragment}`);
    await page.waitForSelector('#banner:not([hidden])', { timeout: 20000 });
    assert.match(await page.textContent('#banner'), /could not be read: it unpacks to more than 16 MB/);
    assert.ok(Date.now() - t0 < 15000, `${Date.now() - t0} ms`);
    assert.equal(await page.evaluate(() => 1 + 1), 2);
    assert.equal(await page.$eval('#data', (t) => t.value.length), 0, 'nothing of it in the paste area');
    // A fragment longer than an address holds (Chromium refuses to open such an address; the
    // page's own check, for browsers that would): refused without decoding.
    const refused = await page.evaluate(async () => {
      const share = await import('/www/share.js');
      return share.decodeState('A'.repeat(3 * 1024 * 1024)).then(() => 'decoded', (e) => e.message);
    });
    assert.match(refused, /at most 2 MB/);
  });

  test('the preview of large data is bounded by characters (one 10 MB line)', async () => {
    const page = await openPage();
    await page.goto(s.base);
    await page.waitForFunction(() => document.body.dataset.engine);
    const line = `subject,month,alsfrs_r,${'n'.repeat(10 * 1024 * 1024)}\nS1,0,40\n`;
    const t0 = Date.now();
    await pasteData(page, line);
    await page.waitForSelector('#held:not([hidden])');
    const shown = await page.$eval('#data', (t) => t.value.length);
    assert.ok(shown <= 64 * 1024, `${shown} characters in the box`);
    assert.match(await page.textContent('#held-text'), /first 64 K characters/);
    assert.ok(Date.now() - t0 < 10000, `${Date.now() - t0} ms`);
  });

  test('settings from a link that the engine cannot use are dropped with a message, never kept', async () => {
    const page = await openPage();
    const settings = { columns: { subject: 5, arm: 'bogus-role' }, month_days: -1, pre_source: 'sometimes', responder_pct: 'x', measure: 'alsfrs_r' };
    await page.goto(`${s.base}#data=${linkData({ text: cohort(), settings })}`);
    await page.waitForFunction(() => document.body.dataset.state === 'ready' && !document.getElementById('banner').hidden, null, { timeout: 30000 });
    const banner = await page.textContent('#banner');
    for (const k of ['columns.subject', 'columns.arm', 'month_days', 'pre_source', 'responder_pct']) assert.ok(banner.includes(k), `${k} named: ${banner}`);
    assert.doesNotMatch(banner, /null/);
    const a = await page.evaluate(() => window.alsAnalysis());
    assert.equal(a.patients.length, 6);
    assert.equal(a.settings.month_days, 30.4375);
    // Kept nowhere: the session holds the settings used, and a reload analyses without a message.
    await page.waitForTimeout(500);
    const saved = await page.evaluate(() => JSON.parse(sessionStorage.getItem('als-progression:v1')));
    assert.deepEqual(saved.settings.columns, {});
    assert.notEqual(saved.settings.month_days, -1);
    await page.evaluate(() => history.replaceState(null, '', location.pathname));
    await page.reload();
    await waitAnalysed(page);
    assert.equal(await page.$eval('#banner', (b) => b.hidden), true);
    // A column role that leaves the data unanalysable (no patient column): dropped after the
    // analysis fails with it.
    const page2 = await openPage();
    await page2.goto(`${s.base}#data=${linkData({ text: cohort(), settings: { columns: { subject: 'ignore' } } })}`);
    await page2.waitForFunction(() => document.body.dataset.state === 'ready' && !document.getElementById('banner').hidden, null, { timeout: 30000 });
    assert.match(await page2.textContent("#banner"), /Settings dropped: columns subject: no analysis with them/);
    assert.equal((await page2.evaluate(() => window.alsAnalysis())).patients.length, 6);
  });

  test('the served page sends its CSP (with frame-ancestors and sandbox) and X-Frame-Options', async () => {
    const page = await head(s.base, '/');
    const csp = page.headers['content-security-policy'];
    assert.match(csp, /connect-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.match(csp, /sandbox allow-scripts allow-same-origin allow-downloads/);
    assert.doesNotMatch(csp, /allow-popups|allow-top-navigation/);
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    const embed = await head(s.base, '/?embed=1');
    assert.match(embed.headers['content-security-policy'], /frame-ancestors \*/);
    assert.equal(embed.headers['x-frame-options'], undefined);
    // The sandbox refuses windows (no test hook here: the browser's own window.open).
    const context = await s.browser.newContext();
    contexts.push(context);
    const p = await context.newPage();
    const popups = [];
    context.on('page', (x) => x !== p && popups.push(x.url()));
    await p.goto(s.base);
    await p.waitForFunction(() => document.body.dataset.engine);
    assert.equal(await p.evaluate(() => window.open('about:blank') === null), true);
    await p.waitForTimeout(300);
    assert.deepEqual(popups, []);
    // The worker's script carries the policy too (a <meta> cannot reach a worker).
    const worker = await head(s.base, '/www/worker.js');
    assert.equal(worker.status, 200);
    assert.match(worker.headers['content-security-policy'], /connect-src 'none'/);
  });

  test('the full page is kept out of frames by the headers, and does nothing in one without them', async () => {
    const page = await openPage();
    await page.setContent(`<iframe id="f" src="${s.base}" width="800" height="600"></iframe>`);
    await page.waitForTimeout(1500);
    const framed = page.frames().find((f) => f !== page.mainFrame());
    const loaded = await framed.evaluate(() => !!document.getElementById('data')).catch(() => false);
    assert.equal(loaded, false, 'X-Frame-Options / frame-ancestors keep the page out of the frame');
    // A host that sends no headers: the page itself refuses to act in a frame.
    const bare = await serve({ dist: true, port: 0, quiet: true, securityHeaders: false });
    try {
      const p2 = await openPage();
      await p2.setContent(`<iframe id="f" src="${bare.url}#example=controls" width="800" height="600"></iframe><iframe id="e" src="${bare.url}?embed=1#example=controls" width="800" height="600"></iframe>`);
      const [full, embed] = await Promise.all(['f', 'e'].map(async (id) => (await p2.$(`#${id}`)).contentFrame()));
      await full.waitForSelector('#banner:not([hidden])');
      assert.match(await full.textContent("#banner"), /Inside another site this page does nothing/);
      assert.equal(await full.evaluate(() => document.body.inert), true, 'every control inert (the examples menu of the header too)');
      assert.equal(await full.evaluate(() => document.body.dataset.state ?? ''), '', 'nothing analysed');
      await embed.waitForFunction(() => document.body.dataset.state === 'ready', null, { timeout: 30000 });
    } finally {
      await new Promise((r) => bare.server.close(r));
    }
  });
});
