// Build the page: core wasm + on-demand extras (models, exports) and XLSX wasm, wasm-bindgen glue, wasm-opt, dist/ and the
// single-file dist/als-progression.html; dist/'s JS and CSS minified by esbuild (its CLI). Node built-ins only, but for
// the npm packages setup installs (binaryen's wasm-opt, esbuild, zopfli), each with a fallback.
//
// How the wasm gets in under `connect-src 'none'`: fetch() of the .wasm is blocked by that CSP (and
// Chromium has no `import source` of wasm yet), so the build writes pkg/<name>_wasm.js, an ES module
// whose `wasmBytes()` gives the optimised wasm. Main thread and worker `import` it (a module
// script, allowed by script-src 'self') and instantiate the bytes. Two encodings:
// - The core, which the served page needs at once (and the single file's engine): LZMA-compressed
//   (`xz --format=lzma`, see lzmaModule), base64-encoded, unpacked synchronously by www/unlzma.js
//   with a 6 KB wasm decoder of our own (tools/unlzma). Gzipped, that is ~20% less than the raw
//   wasm gzipped (the core: 171.0 KB instead of 223.3 as a string), for ~10 ms more at start.
//   Synchronous, because waiting for an asynchronous inflate lets the browser lay out and paint
//   the empty page first, and the example appeared ~35-100 ms later (alternating runs). Without
//   xz the build falls back to a JS string, one char per byte (see stringModule; ~2% over the raw
//   wasm gzipped). The decoder's own bytes are such a string, without the renumbering.
// - The modules loaded on demand (extras, XLSX): deflated by zopfli, base64-encoded and inflated
//   by the browser (DecompressionStream; asynchronous). Gzipped, that is ~4% under the raw wasm
//   (zopfli's deflate beats gzip -9, and gzip takes back base64's third).
// The .wasm files stay in pkg/ for reference only.
//
// Env: ALS_MANIFEST_PATH=<Cargo.toml> builds another crate with the same contract (development).
//      ALS_SKIP_XLSX=1 skips the XLSX module.
// `node scripts/build.mjs --page-only` re-assembles dist/ from www/ and the wasm already in
// www/pkg/ (after an edit of the page's JS, CSS or HTML; seconds instead of minutes).
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { ROOT, ESBUILD, WASM_BINDGEN, WASM_OPT, log, run, output, isMain } from './lib.mjs';

const WWW = join(ROOT, 'www');
const PKG = join(WWW, 'pkg');
const DIST = join(ROOT, 'dist');

// Features the Rust wasm32 target emits by default (rustc ≥ 1.82); wasm-opt must accept them.
const WASM_FEATURES = ['--enable-bulk-memory', '--enable-sign-ext', '--enable-mutable-globals', '--enable-nontrapping-float-to-int', '--enable-reference-types', '--enable-multivalue'];

function manifestArgs() {
  return process.env.ALS_MANIFEST_PATH ? ['--manifest-path', process.env.ALS_MANIFEST_PATH] : [];
}

function targetDir(args = manifestArgs()) {
  const meta = output('cargo', ['metadata', '--format-version', '1', '--no-deps', ...args]);
  if (!meta) throw new Error('cargo metadata failed (is Cargo.toml valid?)');
  return JSON.parse(meta).target_directory;
}

/** `profile`: Cargo.toml's `wasm` (opt-level 2), or `wasm-start` (opt-level "z": the start module). */
function cargoWasm(features, profile = 'wasm') {
  const args = ['build', '--lib', '--target', 'wasm32-unknown-unknown', '--profile', profile, '--no-default-features', ...manifestArgs()];
  if (features) args.push('--features', features);
  run('cargo', args);
  const wasm = join(targetDir(), 'wasm32-unknown-unknown', profile, 'als_progression.wasm');
  if (!existsSync(wasm)) throw new Error(`cargo did not produce ${wasm}`);
  return wasm;
}

/** `atOnce`: the module's bytes are unpacked synchronously (LZMA, else a string; see the top). */
async function bindgen(wasm, outDir, outName, { atOnce = false } = {}) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  // --experimental-reset-state-function: __wbg_reset_state() re-instantiates the module after a
  // panic (the page's main-thread recovery); the worker is simply restarted instead.
  run(WASM_BINDGEN, [wasm, '--target', 'web', '--out-dir', outDir, '--out-name', outName, '--experimental-reset-state-function']);
  const bg = join(outDir, `${outName}_bg.wasm`);
  if (existsSync(WASM_OPT) && !process.env.ALS_NO_WASM_OPT) {
    const before = statSync(bg).size;
    // --one-caller-inline-max-function-size: wasm-opt inlines every function that has one caller,
    // however large, which made 30-85 KB functions of the exports (a chart's drawing, reading an
    // analysis). The browser compiles a function when it is first called, and a large one's
    // compile time grows faster than its size: the 85 KB one took 12 ms. Capped, the largest is
    // ~20 KB and the wasm's size is the same (±0.3%).
    run(WASM_OPT, ['-Oz', '--one-caller-inline-max-function-size', '500', '--strip-debug', '--strip-producers', ...WASM_FEATURES, bg, '-o', bg]);
    log(`wasm-opt -Oz ${outName}: ${kb(before)} → ${kb(statSync(bg).size)}`);
  } else {
    log('wasm-opt not found (run node scripts/setup.mjs): wasm left unoptimised');
  }
  const buf = readFileSync(bg);
  const unlzmaPath = relative(outDir, join(WWW, 'unlzma.js')).split('\\').join('/');
  writeFileSync(join(outDir, `${outName}_wasm.js`), atOnce ? (lzmaModule(buf, outName, unlzmaPath) ?? stringModule(buf, outName)) : await deflatedModule(buf, outName));
}

/**
 * ES module with the wasm as a string literal, one character per byte; exports wasmBytes(), which
 * returns the bytes at once (the served page's core: see the note at the top).
 * Module scripts are always read as UTF-8, where characters 0x80–0xFF take two bytes: the byte
 * values are therefore renumbered by frequency, the most frequent ones to characters that take
 * one byte and need no escape (a table in the module maps them back). Gzipped, that is ~2% over
 * the raw wasm; the identity mapping was ~11% over, base64 ~35%. For a module of a few KB (the LZMA
 * decoder) the table costs more than it saves: `renumber: false` keeps the byte values (~10% over).
 */
function stringModule(buf, outName, { renumber = true } = {}) {
  const count = new Array(256).fill(0);
  for (const b of buf) count[b]++;
  const byFrequency = renumber ? [...Array(256).keys()].sort((a, b) => count[b] - count[a] || a - b) : [...Array(256).keys()];
  const plain = [...Array(128).keys()].filter((c) => c !== 0 && c !== 0x5c && c !== 0x22 && c !== 0x0a && c !== 0x0d);
  const codes = renumber ? [...plain, ...Array.from({ length: 128 }, (_, i) => 128 + i), 0x5c, 0x22, 0x0a, 0x0d, 0] : [...Array(256).keys()];
  const code = new Array(256); // byte → character code
  const back = new Array(256); // character code → byte
  byFrequency.forEach((b, i) => {
    code[b] = codes[i];
    back[codes[i]] = b;
  });
  const parts = [];
  for (let i = 0; i < buf.length; i++) {
    const c = code[buf[i]];
    if (c === 0x5c) parts.push('\\\\');
    else if (c === 0x22) parts.push('\\"');
    else if (c === 0x0a) parts.push('\\n');
    else if (c === 0x0d) parts.push('\\r');
    else if (c === 0x00) parts.push(code[buf[i + 1]] >= 0x30 && code[buf[i + 1]] <= 0x39 ? '\\x00' : '\\0');
    else parts.push(String.fromCharCode(c));
  }
  if (!renumber) {
    return `// Generated by scripts/build.mjs: ${outName}_bg.wasm, one character per byte (see build.mjs).
const s = "${parts.join('')}";
export function wasmBytes() {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
`;
  }
  return `// Generated by scripts/build.mjs: ${outName}_bg.wasm, one character per byte, renumbered (see build.mjs).
const s = "${parts.join('')}";
const byteOf = new Uint8Array([${back.join(',')}]);
export function wasmBytes() {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = byteOf[s.charCodeAt(i)];
  return out;
}
`;
}

// The core's LZMA settings: xz's strongest preset; lc=3 lp=0 pb=0 suit wasm (no 4-byte alignment
// in its code), ~0.3% smaller than xz's default pb=2.
const LZMA_ARGS = ['--format=lzma', '--lzma1=preset=9e,lc=3,lp=0,pb=0', '--stdout'];

/**
 * ES module exporting `wasmBytes()`, which returns `buf` at once: stored LZMA-compressed by xz
 * and base64-encoded, unpacked by www/unlzma.js (`unlzmaPath`: its path from the module). Null
 * when xz is not there (node scripts/setup.mjs installs it).
 */
function lzmaModule(buf, outName, unlzmaPath) {
  const r = spawnSync('xz', LZMA_ARGS, { input: buf, maxBuffer: 64 << 20 });
  if (r.error || r.status !== 0) {
    log(`xz failed (${r.error?.message ?? r.stderr}; run node scripts/setup.mjs): ${outName} stored as a string instead of LZMA`);
    return null;
  }
  return `// Generated by scripts/build.mjs: ${outName}_bg.wasm (${buf.length} bytes), xz ${LZMA_ARGS.slice(0, 2).join(' ')}, base64.
import { unlzma } from '${unlzmaPath}';
const s = "${r.stdout.toString('base64')}";
export function wasmBytes() {
  return unlzma(s, ${buf.length});
}
`;
}

/** The LZMA decoder (tools/unlzma) as pkg/unlzma_wasm.js: see www/unlzma.js. */
function buildDecoder() {
  const manifest = ['--manifest-path', join(ROOT, 'tools', 'unlzma', 'Cargo.toml')];
  run('cargo', ['build', '--lib', '--target', 'wasm32-unknown-unknown', '--profile', 'wasm', ...manifest]);
  const wasm = join(targetDir(manifest), 'wasm32-unknown-unknown', 'wasm', 'unlzma.wasm');
  const out = join(PKG, 'unlzma_bg.wasm');
  if (existsSync(WASM_OPT) && !process.env.ALS_NO_WASM_OPT) run(WASM_OPT, ['-Oz', '--strip-debug', '--strip-producers', ...WASM_FEATURES, wasm, '-o', out]);
  else cpSync(wasm, out);
  const buf = readFileSync(out);
  writeFileSync(join(PKG, 'unlzma_wasm.js'), stringModule(buf, 'unlzma', { renumber: false }));
  log(`LZMA decoder: ${kb(buf.length)}`);
}

/** Raw deflate of `buf`: zopfli (npm @gfx/zopfli, zopfli compiled to wasm), else node's zlib. */
async function deflate(buf) {
  try {
    const { default: zopfli } = await import('@gfx/zopfli');
    return Buffer.from(await zopfli.deflateAsync(buf, { numiterations: 5 }));
  } catch (e) {
    log(`zopfli not available (${e.message}; run node scripts/setup.mjs): zlib's deflate instead`);
    return deflateRawSync(buf, { level: 9 });
  }
}

/**
 * ES module exporting `wasmBytes()`, which resolves to `buf`: stored deflated (zopfli) and
 * base64-encoded, inflated by the browser's DecompressionStream. JSON-safe (the single file
 * carries its modules as JSON).
 */
async function deflatedModule(buf, outName) {
  // The smoke test checks that wasmBytes() gives back exactly the wasm.
  const z = await deflate(buf);
  return `// Generated by scripts/build.mjs: ${outName}_bg.wasm (${buf.length} bytes), deflated, base64.
const s = "${z.toString('base64')}";
export async function wasmBytes() {
  const z = typeof Uint8Array.fromBase64 === 'function' ? Uint8Array.fromBase64(s) : Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
  const inflated = new ReadableStream({ start: (c) => (c.enqueue(z), c.close()) }).pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(inflated).arrayBuffer());
}
`;
}

/** The glue of a module built into outDir, instantiated in node (from its _bg.wasm). */
async function instantiate(outDir, outName) {
  const glue = await import(pathToFileURL(join(outDir, `${outName}.js`)).href + `?t=${Date.now()}`);
  glue.initSync({ module: readFileSync(join(outDir, `${outName}_bg.wasm`)) });
  return glue;
}

/**
 * www/pkg/example_list.js (the examples' names, titles and descriptions, and the columns of the
 * lead-in example, which the template has: imported at start, ~0.5 KB) and www/pkg/examples.js
 * (their data, `TEXTS`: loaded when an example is asked for), from the engine's synth through
 * the extras module's `examples()` and `example_text()`. The examples are data: the start module
 * does not carry the generator.
 */
async function writeExamples() {
  const glue = await instantiate(join(PKG, 'extras'), 'als_extras');
  const list = JSON.parse(glue.examples());
  if (!Array.isArray(list) || list.length === 0) throw new Error('examples() returned no example');
  const texts = Object.fromEntries(list.map(({ name }) => [name, glue.example_text(name)]));
  const columns = texts['lead-in']?.split('\n')[1];
  if (!columns) throw new Error('no lead-in example (the template\'s columns)');
  const head = '// Written by scripts/build.mjs from the engine\'s examples (src/synth): do not edit.\n';
  writeFileSync(join(PKG, 'example_list.js'), `${head}export const EXAMPLES = ${JSON.stringify(list)};\nexport const COLUMNS = ${JSON.stringify(columns)};\n`);
  writeFileSync(join(PKG, 'examples.js'), `${head}export const TEXTS = ${JSON.stringify(texts)};\n`);
  return texts;
}

/** Load the glue in node and run the engine once: proves the wasm-opt output still works. */
async function smokeTest(outDir, outName, texts, { xlsx = false, extras = false } = {}) {
  const glue = await import(pathToFileURL(join(outDir, `${outName}.js`)).href + `?t=${Date.now()}`);
  const { wasmBytes } = await import(pathToFileURL(join(outDir, `${outName}_wasm.js`)).href + `?t=${Date.now()}`);
  const bytes = await wasmBytes();
  if (Buffer.compare(Buffer.from(bytes), readFileSync(join(outDir, `${outName}_bg.wasm`))) !== 0) throw new Error(`${outName}_wasm.js does not decode to ${outName}_bg.wasm`);
  glue.initSync({ module: bytes });
  const [name, text] = Object.entries(texts)[0];
  const page = glue.analyze_for_page(text, '{}');
  const first = JSON.parse(page.view());
  page.free();
  if (!Array.isArray(first.patients) || first.patients.length === 0) throw new Error(`${outName}: analyze_for_page(example) returned no patient`);
  // the whole analysis (with the model fits): the extras module's export
  const analysis = extras ? JSON.parse(glue.analyze(text, '{}')) : first;
  if (!Array.isArray(analysis.patients) || analysis.patients.length === 0) throw new Error(`${outName}: analyze(example) returned no patient`);
  glue.warm_up(text, 2); // the worker's warm-up (www/worker.js) runs and returns
  if (xlsx && typeof glue.xlsx_to_text !== 'function') throw new Error(`${outName}: xlsx_to_text is not exported`);
  if (glue.has_extras() !== extras) throw new Error(`${outName}: has_extras() is ${glue.has_extras()}, expected ${extras}`);
  if (extras && !(analysis.mixed_models?.length > 0)) throw new Error(`${outName}: no mixed model fitted`);
  if (extras && typeof glue.ChartData?.prototype.csv !== 'function') throw new Error(`${outName}: no charts or exports`);
  if (extras && typeof glue.second_pass !== 'function') throw new Error(`${outName}: no second pass`);
  if (!extras && (glue.ChartData || glue.examples || glue.analyze)) throw new Error(`${outName}: the charts, examples and whole-analysis JSON should be in the extras module only`);
  log(`smoke test ${outName}: ok (${analysis.patients.length} patient results for '${name}')`);
}

function kb(n) {
  return `${(n / 1024).toFixed(1)} KB`;
}

function copyDir(src, dst, filter = () => true) {
  cpSync(src, dst, { recursive: true, filter: (p) => filter(relative(src, p)) });
}

// The page's own modules loaded the first time they are used (the exports, the report, the
// links, the explain panel at the first selection, the fits' view with the first fits, the
// charts' keyboard at the first key), not at start: each
// is bundled on its own in dist/ (with dom.js, the one page module they import, which keeps no
// state; see bundleOnDemand), and they are not counted in the page's weight.
export const ON_DEMAND = ['exporter.js', 'report.js', 'explain.js', 'fits.js', 'links.js', 'keys.js'];

/** Files the served page loads at start (relative to the served root), in load order. */
export function pageFiles(root) {
  const files = ['index.html', 'www/style.css', 'www/main.js', 'www/worker.js', 'www/pkg/als_core.js', 'www/pkg/als_core_wasm.js', 'www/pkg/unlzma_wasm.js', 'www/pkg/example_list.js'];
  for (const f of readdirSync(join(root, 'www'))) if (f.endsWith('.js') && !files.includes(`www/${f}`) && !ON_DEMAND.includes(f)) files.push(`www/${f}`);
  return files.filter((f) => existsSync(join(root, f)));
}

function sizeTable(root, files, title) {
  let raw = 0;
  let gz = 0;
  const rows = files.map((f) => {
    const buf = readFileSync(join(root, f));
    const g = gzipSync(buf, { level: 9 }).length;
    raw += buf.length;
    gz += g;
    return `  ${f.padEnd(36)} ${kb(buf.length).padStart(10)} ${kb(g).padStart(10)} gz`;
  });
  log(`${title}\n${rows.join('\n')}\n  ${'total'.padEnd(36)} ${kb(raw).padStart(10)} ${kb(gz).padStart(10)} gz`);
  return { raw, gz };
}

function sha256(text) {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * A tiny bundler for our own modules (relative imports, named/namespace/default imports, exported
 * functions/classes/consts, `export { a, b as c }`): one classic script, each module in a function.
 */
function classicBundle(entry, modules) {
  const order = [];
  const seen = new Set();
  const importRe = /^\s*import\s+(.+?)\s+from\s+['"](\.\.?\/[^'"]+)['"];?\s*$/gm;
  const resolve = (from, spec) => {
    const parts = from.split('/').slice(0, -1);
    for (const seg of spec.split('/')) if (seg === '..') parts.pop(); else if (seg !== '.') parts.push(seg);
    return parts.join('/');
  };
  const visit = (path) => {
    if (seen.has(path)) return;
    seen.add(path);
    if (!(path in modules)) throw new Error(`classic bundle: ${path} not found`);
    for (const m of modules[path].matchAll(importRe)) visit(resolve(path, m[2]));
    order.push(path);
  };
  visit(entry);
  const out = ['(() => {', 'const __m = {};'];
  for (const path of order) {
    let src = modules[path];
    const names = [];
    src = src.replace(importRe, (_, what, spec) => {
      const dep = `__m[${JSON.stringify(resolve(path, spec))}]`;
      what = what.trim();
      if (what.startsWith('* as ')) return `const ${what.slice(5)} = ${dep};`;
      if (what.startsWith('{')) return `const ${what.replace(/\s+as\s+/g, ': ')} = ${dep};`;
      if (what.includes(',')) {
        const [def, rest] = what.split(/,(.*)/s);
        return `const ${def.trim()} = ${dep}.default; const ${rest.trim().replace(/\s+as\s+/g, ': ')} = ${dep};`;
      }
      return `const ${what} = ${dep}.default;`;
    });
    src = src.replace(/^export\s+((?:async\s+)?function\*?|class|const|let|var)\s+([A-Za-z_$][\w$]*)/gm, (_, kw, name) => {
      names.push(`${name}: ${name}`);
      return `${kw} ${name}`;
    });
    src = src.replace(/^export\s*\{([^}]*)\};?/gm, (_, list) => {
      for (const item of list.split(',').map((x) => x.trim()).filter(Boolean)) {
        const [local, exported] = item.split(/\s+as\s+/);
        names.push(`${JSON.stringify(exported ?? local)}: ${local}`);
      }
      return '';
    });
    if (/^\s*(import|export)\b/m.test(src)) throw new Error(`classic bundle: unsupported import/export left in ${path}`);
    src = src.replace(/import\.meta\.url/g, 'self.location.href');
    out.push(`__m[${JSON.stringify(path)}] = (() => {\n${src}\nreturn { ${names.join(', ')} };\n})();`);
  }
  out.push('})();');
  return out.join('\n');
}

/** The single self-contained HTML file (works from file://). */
function singleFile() {
  let html = readFileSync(join(ROOT, 'index.html'), 'utf8');
  const css = readFileSync(join(WWW, 'style.css'), 'utf8');
  const modules = {};
  for (const f of readdirSync(WWW)) if (f.endsWith('.js')) modules[f] = readFileSync(join(WWW, f), 'utf8');
  // The single file's engine is the extras module (the core, the model fits and the exports):
  // one module, no loading on demand.
  modules['pkg/als_core.js'] = readFileSync(join(PKG, 'extras', 'als_extras.js'), 'utf8');
  // LZMA, unpacked at once (as the served page's core), else the extras module's deflated copy.
  modules['pkg/als_core_wasm.js'] = lzmaModule(readFileSync(join(PKG, 'extras', 'als_extras_bg.wasm')), 'als_extras', '../unlzma.js') ?? readFileSync(join(PKG, 'extras', 'als_extras_wasm.js'), 'utf8');
  modules['pkg/unlzma_wasm.js'] = readFileSync(join(PKG, 'unlzma_wasm.js'), 'utf8');
  for (const f of ['example_list.js', 'examples.js']) modules[`pkg/${f}`] = readFileSync(join(PKG, f), 'utf8');
  // Module workers cannot start from blob: URLs of a file:// page (opaque origin), classic ones
  // can: the worker and its imports are bundled into one classic script.
  // It has no wasm: the page hands it the compiled module (see Engine.startWorker).
  modules['worker-classic.js'] = classicBundle('worker.js', modules);
  const loader = readFileSync(join(ROOT, 'scripts', 'single-loader.js'), 'utf8');
  const json = JSON.stringify(modules).replace(/</g, '\\u003c');
  const csp = [
    "default-src 'none'",
    "connect-src 'none'",
    `script-src ${sha256(loader)} blob: 'wasm-unsafe-eval'`,
    `style-src ${sha256(css)}`,
    'img-src data: blob:',
    'worker-src blob:',
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const swaps = [
    [/<meta http-equiv="Content-Security-Policy"[^>]*>/, `<meta http-equiv="Content-Security-Policy" content="${csp}">`],
    [/<link rel="stylesheet" href="www\/style\.css">/, () => `<style>${css}</style>`],
    [/<script type="module" src="www\/main\.js" blocking="render"><\/script>/, () => `<script type="application/json" id="als-modules">${json}</script>\n<script type="module" blocking="render">${loader}</script>`],
  ];
  for (const [re, rep] of swaps) {
    if (!re.test(html)) throw new Error(`single file: index.html has no match for ${re}`);
    html = html.replace(re, rep);
  }
  // The served page preloads its modules; the single file has them inline.
  html = html.replace(/\n<link rel="modulepreload"[^>]*>/g, '');
  if (html.includes('modulepreload')) throw new Error('single file: a modulepreload link is left');
  html = html.replace('<html lang="en">', '<html lang="en" data-single-file="1">');
  writeFileSync(join(DIST, 'als-progression.html'), html);
}

export async function build({ pageOnly = false } = {}) {
  const t0 = Date.now();
  if (pageOnly) {
    if (!['als_core_wasm.js', 'unlzma_wasm.js', 'extras/als_extras_wasm.js', 'extras/als_extras_bg.wasm', 'examples.js', 'example_list.js'].every((f) => existsSync(join(PKG, f)))) throw new Error('--page-only: www/pkg has no wasm yet; run a full build first');
    return assemble(t0);
  }
  log('build: core wasm (the start module: parsing and the first analysis pass; opt-level "z")');
  const core = cargoWasm(null, 'wasm-start');
  await bindgen(core, PKG, 'als_core', { atOnce: true }); // (empties www/pkg/ first)
  log('build: LZMA decoder (unpacks the core)');
  buildDecoder();
  log('build: extras wasm (charts, loaded after the first paint; model fits, survival, exports; the single file\'s engine)');
  const extras = cargoWasm('models,exports,survival,staging,charts,examples');
  await bindgen(extras, join(PKG, 'extras'), 'als_extras');
  const texts = await writeExamples();
  await smokeTest(PKG, 'als_core', texts);
  await smokeTest(join(PKG, 'extras'), 'als_extras', texts, { extras: true });
  if (!process.env.ALS_SKIP_XLSX) {
    log('build: xlsx wasm (loaded on demand)');
    const xlsx = cargoWasm('xlsx');
    await bindgen(xlsx, join(PKG, 'xlsx'), 'als_xlsx');
    await smokeTest(join(PKG, 'xlsx'), 'als_xlsx', texts, { xlsx: true });
  }
  assemble(t0);
}

/** Every file under dir (relative paths). */
function walk(dir, rel = '') {
  return readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(dir, join(rel, e.name)) : [join(rel, e.name)]));
}

// The page's own modules that index.html preloads (or that a worker imports) stay files of their
// own in dist/; the rest of what main.js imports is bundled into it (see bundleMain).
const SEPARATE = ['./engine.js', './share.js', './core.js', './pkg/*', ...ON_DEMAND.map((f) => `./${f}`)];

/**
 * dist/www/main.js: www/main.js with the page modules it imports (dom, state, result, the views:
 * see docs/page.md) bundled in by esbuild and minified, and those modules left out of dist/. The
 * sources are small modules by responsibility; served as a dozen files, each gzipped on its own,
 * they weighed ~3.4 KB more than as one, and would add a step to the page's module loading. The
 * source map beside it maps back to the modules in www/. Without esbuild, dist/ keeps the modules
 * as they are.
 */
function bundleMain(dir) {
  if (!existsSync(ESBUILD)) return;
  const meta = join(dir, '..', 'bundle-meta.json');
  run(ESBUILD, [join(WWW, 'main.js'), '--bundle', '--format=esm', ...SEPARATE.map((x) => `--external:${x}`), `--outfile=${join(dir, 'main.js')}`, '--allow-overwrite', '--minify', '--sourcemap', '--legal-comments=none', `--metafile=${meta}`, '--log-level=warning']);
  const { inputs } = JSON.parse(readFileSync(meta, 'utf8'));
  rmSync(meta);
  for (const input of Object.keys(inputs)) {
    const f = relative(WWW, join(ROOT, input));
    if (f !== 'main.js') rmSync(join(dir, f));
  }
}

/**
 * dist/www/<module> for each module loaded on demand (ON_DEMAND): bundled on its own by esbuild,
 * with what it imports of the page's bundle (dom.js, which keeps no state, so a second copy of it
 * is harmless; share.js and the other SEPARATE files stay imports), and minified; a source map
 * beside it. Without esbuild, dist/ keeps the modules as
 * they are.
 */
function bundleOnDemand(dir) {
  if (!existsSync(ESBUILD)) return;
  for (const f of ON_DEMAND) {
    run(ESBUILD, [join(WWW, f), '--bundle', '--format=esm', ...SEPARATE.map((x) => `--external:${x}`), `--outfile=${join(dir, f)}`, '--allow-overwrite', '--minify', '--sourcemap', '--legal-comments=none', '--log-level=warning']);
  }
}

/**
 * dist/www's other JS and CSS minified (esbuild: whitespace, syntax and local names): ~12 KB less
 * gzipped at start. A source map beside each file (a .js.map per file, read by the browser's
 * developer tools only, never by the page) maps a stack trace in a bug report back to www/, the
 * commented sources in the repository. The wasm modules (*_wasm.js, one long string literal) are
 * left as they are.
 */
function minify(dir, { skip = [] } = {}) {
  const files = walk(dir).filter((f) => ((f.endsWith('.js') && !f.endsWith('_wasm.js')) || f.endsWith('.css')) && !skip.includes(f));
  if (!existsSync(ESBUILD)) return log('esbuild not found (run node scripts/setup.mjs): dist/ left unminified');
  run(ESBUILD, [...files.map((f) => join(dir, f)), `--outdir=${dir}`, `--outbase=${dir}`, '--allow-overwrite', '--minify', '--sourcemap', '--legal-comments=none', '--log-level=warning']);
}

/** dist/ (the served page) and the single file, from www/ and www/pkg/. */
function assemble(t0) {
  log('build: dist/');
  rmSync(DIST, { recursive: true, force: true });
  mkdirSync(DIST, { recursive: true });
  // index.html without its comments and indentation (~130 bytes less gzipped; it has no <pre>
  // and an empty <textarea>, whose whitespace would count)
  writeFileSync(join(DIST, 'index.html'), readFileSync(join(ROOT, 'index.html'), 'utf8').replace(/<!--[\s\S]*?-->\n?/g, '').replace(/\n\s+/g, '\n'));
  copyDir(WWW, join(DIST, 'www'), (p) => !p.endsWith('.wasm') && !p.endsWith('.d.ts'));
  bundleMain(join(DIST, 'www'));
  bundleOnDemand(join(DIST, 'www'));
  minify(join(DIST, 'www'), { skip: ['main.js', ...ON_DEMAND] });
  singleFile();
  sizeTable(DIST, pageFiles(DIST), 'page weight (what the page loads at start):');
  const xlsxFiles = ['www/pkg/xlsx/als_xlsx.js', 'www/pkg/xlsx/als_xlsx_wasm.js'].filter((f) => existsSync(join(DIST, f)));
  if (xlsxFiles.length) sizeTable(DIST, xlsxFiles, 'on demand (first .xlsx dropped):');
  sizeTable(DIST, ['www/pkg/extras/als_extras.js', 'www/pkg/extras/als_extras_wasm.js'], 'after the first paint (the charts; model fits, survival, exports):');
  sizeTable(DIST, ['www/pkg/examples.js'], 'on demand (an example chosen):');
  sizeTable(DIST, ON_DEMAND.map((f) => `www/${f}`), 'on demand (the page\'s modules):');
  sizeTable(DIST, ['als-progression.html'], 'single file:');
  log(`build: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

if (isMain(import.meta.url)) {
  build({ pageOnly: process.argv.includes('--page-only') }).catch((e) => {
    console.error(`[als] build failed: ${e.message}`);
    process.exit(1);
  });
}
