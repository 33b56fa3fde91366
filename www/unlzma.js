// Unpacks the core wasm, which the build stores LZMA-compressed (see lzmaModule in
// scripts/build.mjs): gzipped, ~20% less than the wasm itself gzipped. The decoder is a small
// wasm module of its own (tools/unlzma; its bytes in pkg/unlzma_wasm.js). It runs synchronously,
// in the task that imports the core, so that the browser's first paint still shows the first
// result (an asynchronous DecompressionStream lets it paint the empty page first).
import { wasmBytes as decoderBytes } from './pkg/unlzma_wasm.js';

const ERRORS = { '-1': 'truncated data', '-2': 'bad properties', '-3': 'corrupt data', '-4': 'more data than expected', '-5': 'decoder buffer too small' };

function fromBase64(s) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(s);
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The `length` bytes that the base64 text of a .lzma stream holds; throws if they are not exactly that. */
export function unlzma(base64, length) {
  const src = fromBase64(base64);
  // A module this small may be compiled synchronously on the main thread.
  const { memory, unlzma: decode, unlzma_probs: probsNeeded, __heap_base: heapBase } = new WebAssembly.Instance(new WebAssembly.Module(decoderBytes())).exports;
  const nProbs = probsNeeded(src[0] ?? 0);
  if (nProbs < 0) throw new Error(`unlzma: ${ERRORS[nProbs]}`);
  // The decoder's buffers, after its own data: probabilities (16-bit), input, output.
  const probs = (heapBase.value + 7) & ~7;
  const input = probs + 2 * nProbs;
  const output = input + src.length;
  const end = output + length;
  if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / 65536));
  new Uint8Array(memory.buffer, input, src.length).set(src);
  const n = decode(input, src.length, output, length, probs, nProbs);
  if (n < 0) throw new Error(`unlzma: ${ERRORS[n] ?? `error ${n}`}`);
  if (n !== length) throw new Error(`unlzma: ${n} bytes where ${length} were expected`);
  return new Uint8Array(memory.buffer, output, length).slice();
}
