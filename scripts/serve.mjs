// Tiny static server for the page: 127.0.0.1 only, node's http module, no dependencies.
//   node scripts/serve.mjs [--dist] [--port N]     (env PORT; default 8080; 0 = any free port)
// Serves the repo root (index.html + www/) or, with --dist, dist/, with the security headers a
// host of the page should send (README "Hosting the page"; securityHeaders()).
import { createServer } from 'node:http';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { ROOT, isMain } from './lib.mjs';

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.tsv': 'text/tab-separated-values; charset=utf-8',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

// Only these are served from the repo root (not Cargo.toml, src/, .git …).
const ROOT_ALLOW = [/^index\.html$/, /^www\//, /^als-progression\.html$/];

/** The Content-Security-Policy of index.html's <meta> in `base` (one place says it). */
export function pagePolicy(base) {
  const html = readFileSync(join(base, 'index.html'), 'utf8');
  const m = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/);
  if (!m) throw new Error(`${base}/index.html has no Content-Security-Policy <meta>`);
  return m[1];
}

/**
 * The headers every response carries: the page's CSP (as a header it also covers the worker's
 * script, which a <meta> cannot, and can say what a <meta> cannot: frame-ancestors, sandbox);
 * the full page in no frame (frame-ancestors 'none', X-Frame-Options DENY), the embed view
 * (?embed=1) in any; the sandbox without popups or top navigation (the page opens no window and
 * navigates nowhere); no referrer; a browsing context of its own (no window.opener link).
 */
export function securityHeaders(policy, { embed = false } = {}) {
  const h = {
    'content-security-policy': `${policy}; frame-ancestors ${embed ? '*' : "'none'"}; sandbox allow-scripts allow-same-origin allow-downloads`,
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
  };
  if (!embed) h['x-frame-options'] = 'DENY';
  return h;
}

/**
 * Start serving; resolves to { server, port, url }. `securityHeaders: false` leaves out the
 * security headers (the e2e test of a host that sends none).
 */
export function serve({ dist = false, port = Number(process.env.PORT ?? 8080), host = '127.0.0.1', quiet = false, securityHeaders: secure = true } = {}) {
  const base = dist ? join(ROOT, 'dist') : ROOT;
  const policy = secure ? pagePolicy(base) : null;
  const server = createServer((req, res) => {
    let path;
    let embed = false;
    try {
      const u = new URL(req.url, 'http://x');
      path = decodeURIComponent(u.pathname);
      embed = u.searchParams.get('embed') === '1';
    } catch {
      res.writeHead(400).end('bad request');
      return;
    }
    if (path.endsWith('/')) path += 'index.html';
    const rel = normalize(path).replace(/^[/\\]+/, '');
    const file = join(base, rel);
    const allowed = !rel.split(sep).includes('..') && (dist || ROOT_ALLOW.some((re) => re.test(rel.split(sep).join('/'))));
    let st;
    try {
      st = allowed && statSync(file);
    } catch {
      st = null;
    }
    if (!st || !st.isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      if (!quiet) console.log(`404 ${req.method} ${req.url}`);
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'content-length': st.size,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      ...(policy ? securityHeaders(policy, { embed }) : {}),
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const p = server.address().port;
      resolve({ server, port: p, url: `http://${host}:${p}/` });
    });
  });
}

if (isMain(import.meta.url)) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--port');
  const port = i >= 0 ? Number(args[i + 1]) : Number(process.env.PORT ?? 8080);
  serve({ dist: args.includes('--dist'), port }).then(({ url }) => console.log(`serving on ${url}`), (e) => {
    console.error(`[als] cannot serve: ${e.message}`);
    process.exit(1);
  });
}
