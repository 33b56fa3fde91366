// The core wasm as the page gets it: LZMA-compressed in www/pkg/als_core_wasm.js, unpacked by
// www/unlzma.js with the wasm decoder of tools/unlzma (whose own tests, against xz's library, are
// in tools/unlzma/tests). Here: the built module gives back the wasm byte for byte, and broken
// data are errors, in node (the same code the page runs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, built } from './helpers.mjs';

const PKG = join(ROOT, 'www', 'pkg');

test('the core is stored LZMA-compressed and unpacks to the wasm', { skip: !built() && 'page not built' }, async () => {
  const source = readFileSync(join(PKG, 'als_core_wasm.js'), 'utf8');
  assert.match(source, /import \{ unlzma \} from '\.\.\/unlzma\.js'/, 'als_core_wasm.js is not the LZMA encoding (is xz installed? node scripts/setup.mjs)');
  const { wasmBytes } = await import(pathToFileURL(join(PKG, 'als_core_wasm.js')).href);
  const wasm = readFileSync(join(PKG, 'als_core_bg.wasm'));
  assert.equal(Buffer.compare(Buffer.from(wasmBytes()), wasm), 0);

  const { unlzma } = await import(pathToFileURL(join(ROOT, 'www', 'unlzma.js')).href);
  const packed = Buffer.from(source.match(/const s = "([A-Za-z0-9+/=]+)";/)[1], 'base64');
  const b64 = (buf) => buf.toString('base64');
  assert.equal(Buffer.compare(Buffer.from(unlzma(b64(packed), wasm.length)), wasm), 0);
  // A stream cut short, a length other than the wasm's, bad properties, the range coder's first
  // byte not 0: errors with the decoder's reason.
  assert.throws(() => unlzma(b64(packed.subarray(0, packed.length >> 1)), wasm.length), /unlzma: truncated data/);
  assert.throws(() => unlzma(b64(packed.subarray(0, 10)), wasm.length), /unlzma: truncated data/);
  assert.throws(() => unlzma(b64(packed), wasm.length - 1), /unlzma: more data than expected/);
  assert.throws(() => unlzma(b64(packed), wasm.length + 1), /unlzma: \d+ bytes where \d+ were expected/);
  const badProps = Buffer.from(packed);
  badProps[0] = 225;
  assert.throws(() => unlzma(b64(badProps), wasm.length), /unlzma: bad properties/);
  const badStart = Buffer.from(packed);
  badStart[13] = 1;
  assert.throws(() => unlzma(b64(badStart), wasm.length), /unlzma: corrupt data/);
});
