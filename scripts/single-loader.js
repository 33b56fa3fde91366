// Module loader of the single-file build (dist/als-progression.html), inlined by scripts/build.mjs.
// Every ES module of www/ is stored as text in <script type="application/json" id="als-modules">;
// each becomes a Blob URL, with its relative imports rewritten to the Blob URLs of its
// dependencies. The worker is a classic worker from a Blob URL (allowed by worker-src blob:); if
// workers cannot start, the page runs the analysis on the main thread (see www/engine.js).
const sources = JSON.parse(document.getElementById('als-modules').textContent);
const urls = new Map();
const resolvePath = (from, spec) => {
  const parts = from.split('/').slice(0, -1);
  for (const seg of spec.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
};
const moduleUrl = (path) => {
  if (urls.has(path)) return urls.get(path);
  if (!(path in sources)) throw new Error(`module not in the single file: ${path}`);
  const src = sources[path].replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])(\.\.?\/[^'"]+)\2/g,
    (m, pre, q, spec) => {
      const target = resolvePath(path, spec);
      return target in sources ? `${pre}${q}${moduleUrl(target)}${q}` : m;
    });
  const url = URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
  urls.set(path, url);
  return url;
};
// Module workers do not start from blob: URLs of a file:// page, classic workers do: the worker
// and its imports come as one classic script (built by scripts/build.mjs).
const classicWorkerUrl = () => {
  if (!urls.has('worker-classic.js')) urls.set('worker-classic.js', URL.createObjectURL(new Blob([sources['worker-classic.js']], { type: 'text/javascript' })));
  return urls.get('worker-classic.js');
};
globalThis.ALS_BUNDLE = { single: true, moduleUrl, classicWorkerUrl, has: (path) => path in sources };
import(moduleUrl('main.js')).catch((e) => {
  const p = document.createElement('p');
  p.className = 'banner error';
  p.textContent = `The page could not start: ${e.message}`;
  document.body.prepend(p);
});
