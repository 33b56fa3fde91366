// Loads the core wasm (pkg/als_core.js glue + the bytes from pkg/als_core_wasm.js, which embeds
// them). Used by the main thread (analysis of small data, and when no worker) and by the
// worker, which is handed the main thread's compiled module instead of importing and compiling
// the bytes again.
// Why the bytes come from a module: the page's CSP has connect-src 'none', which blocks fetch() of
// the .wasm; a module script import is allowed by script-src 'self' (and by blob: in the single
// file). See scripts/build.mjs for the encoding.
import * as glue from './pkg/als_core.js';

let compiled = null;
let panicHandler = () => {};
let lastPanic = null;
let extras = null;
let extrasReady = null; // the extras module once loaded

function installHook(g) {
  if (typeof g.set_panic_hook === 'function') {
    g.set_panic_hook((message) => {
      lastPanic = String(message);
      panicHandler(lastPanic);
    });
  }
}

/**
 * Instantiate once; `onPanic(message)` is called from inside a panicking call. `source`: the
 * core's compiled WebAssembly.Module (the worker gets the page's), or its bytes (the page's
 * main thread: engine.js imports pkg/als_core_wasm.js).
 */
export async function loadCore(onPanic, source) {
  if (onPanic) panicHandler = onPanic;
  if (!compiled) compiled = source instanceof WebAssembly.Module ? source : await compile(source);
  glue.initSync({ module: compiled });
  installHook(glue);
  return glue;
}

/**
 * The browser compiles a wasm function when it is first called, so compiling a module is mostly
 * decoding it: done here, in this task, it took ~20 ms less than WebAssembly.compile (whose
 * result comes back in a later task). Browsers refuse it on the main thread for large modules
 * (Chromium: over 8 MB); then the asynchronous compile.
 */
async function compile(bytes) {
  try {
    return new WebAssembly.Module(bytes);
  } catch (err) {
    if (err instanceof WebAssembly.CompileError) throw err;
    return WebAssembly.compile(bytes);
  }
}

/** The compiled core module (after loadCore), to hand to the worker. */
export function coreModule() {
  return compiled;
}

/**
 * The engine with the charts, mixed models, D50 fits, survival and exports (SVG, CSV, JSON): the
 * core itself when it has them (the single file), else the extras module (pkg/extras/), loaded
 * the first time it is asked for (the charts ask right after the first paint). Call after loadCore.
 */
export async function loadExtras() {
  if (typeof glue.has_extras === 'function' && glue.has_extras()) return glue;
  if (!extras) {
    extras = (async () => {
      const [g, { wasmBytes: bytes }] = await Promise.all([import('./pkg/extras/als_extras.js'), import('./pkg/extras/als_extras_wasm.js')]);
      await g.default({ module_or_path: await WebAssembly.compile(await bytes()) });
      installHook(g);
      extrasReady = g;
      return g;
    })();
    extras.catch(() => (extras = null));
  }
  return extras;
}

/** The extras module if it is loaded (see loadExtras), else null. */
export function loadedExtras() {
  if (typeof glue.has_extras === 'function' && glue.has_extras()) return glue;
  return extrasReady;
}

/** After a trap in the extras module: its next use starts a fresh instance. */
export function dropExtras() {
  extras = null;
  extrasReady = null;
}

/** After a panic (a trap leaves the instance unusable): a fresh instance of the same module. */
export function resetCore() {
  glue.__wbg_reset_state();
  installHook(glue);
  lastPanic = null;
}

/** The panic message of the last call, if it panicked; clears it. */
export function takePanic() {
  const p = lastPanic;
  lastPanic = null;
  return p;
}

/** Did this exception come from a panic/trap rather than a JsError? */
export function isTrap(err) {
  return err instanceof WebAssembly.RuntimeError;
}
