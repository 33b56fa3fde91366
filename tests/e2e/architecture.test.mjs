// The page's module map (docs/architecture.md, "The page") against www/: every module is in the map, a
// module imports only modules below it, only state.js writes body[data-*], no HTML sinks, no file
// over ~600 lines. Reads the sources; no browser.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib.mjs';
import { ON_DEMAND } from '../../scripts/build.mjs';

const WWW = join(ROOT, 'www');
const modules = Object.fromEntries(readdirSync(WWW).filter((f) => f.endsWith('.js')).map((f) => [f, readFileSync(join(WWW, f), 'utf8')]));

/** The map's rows, top to bottom: the modules named in each row's first cell. */
function mapRows() {
  const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
  return doc
    .split('\n')
    .filter((l) => /^\| `[a-z]+\.js`/.test(l))
    .map((l) => [...l.split('|')[1].matchAll(/`([a-z]+\.js)`/g)].map((m) => m[1]));
}

/** Our modules a module imports (statically or dynamically), not pkg/. */
function importsOf(src) {
  const found = new Set();
  for (const m of src.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"]\.\/([a-z]+\.js)['"]/g)) found.add(m[1]);
  return [...found];
}

describe('page architecture', () => {
  test('every module of www/ is in the map, once', () => {
    const mapped = mapRows().flat();
    assert.deepEqual([...mapped].sort(), Object.keys(modules).sort());
  });

  test('a module imports only modules below it in the map', () => {
    const rows = mapRows();
    const level = new Map(rows.flatMap((names, i) => names.map((n) => [n, i])));
    const wrong = [];
    for (const [name, src] of Object.entries(modules)) {
      for (const dep of importsOf(src)) if (!(level.get(dep) > level.get(name))) wrong.push(`${name} imports ${dep}`);
    }
    assert.deepEqual(wrong, []);
  });

  test('only state.js writes body[data-*]', () => {
    const writers = Object.entries(modules)
      .filter(([name, src]) => name !== 'state.js' && /\.dataset\.(state|charts|models|engine)\s*=[^=]/.test(src))
      .map(([name]) => name);
    assert.deepEqual(writers, []);
  });

  test('no HTML sinks: user text reaches the DOM only as text', () => {
    const sinks = Object.entries(modules).filter(([, src]) => /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|createContextualFragment|\beval\(|new Function\(/.test(src));
    assert.deepEqual(sinks.map(([name]) => name), []);
  });

  test('a module loaded on demand imports only modules that keep no state (the build bundles it on its own), and the map says it is on demand', () => {
    const doc = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
    for (const name of ON_DEMAND) {
      assert.ok(name in modules, `${name} is in www/`);
      assert.deepEqual(importsOf(modules[name]).filter((d) => !['dom.js', 'share.js'].includes(d)), [], `${name} imports`);
      assert.match(doc, new RegExp(`^\\| \`${name.replace('.', '\\.')}\` \\| \\(on demand`, 'm'), `${name}: "(on demand" in the map`);
      // loaded by a dynamic import, never a static one (that would put it in the start)
      for (const [other, src] of Object.entries(modules)) assert.doesNotMatch(src, new RegExp(`from\\s*['"]\\./${name}['"]`), `${other} imports ${name} statically`);
    }
  });

  test('no module over ~600 lines', () => {
    const long = Object.entries(modules).filter(([, src]) => src.split('\n').length > 600).map(([name]) => name);
    assert.deepEqual(long, []);
  });
});
