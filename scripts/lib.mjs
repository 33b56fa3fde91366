// Shared helpers for the build/test scripts. Node built-ins only: these run before `npm ci`.
import { spawnSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const TOOLS = join(ROOT, '.tools');
export const WASM_BINDGEN = join(TOOLS, 'bin', 'wasm-bindgen');
export const WASM_BINDGEN_TEST_RUNNER = join(TOOLS, 'bin', 'wasm-bindgen-test-runner');
export const WASM_OPT = join(ROOT, 'node_modules', '.bin', 'wasm-opt');
export const ESBUILD = join(ROOT, 'node_modules', '.bin', 'esbuild');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMEDRIVER = process.env.CHROMEDRIVER || '/usr/bin/chromedriver';

export function log(msg) {
  process.stdout.write(`[als] ${msg}\n`);
}

/** Run a command, inheriting stdio; throw on failure. */
export function run(cmd, args, opts = {}) {
  const shown = [cmd, ...args].join(' ');
  if (!opts.quiet) log(`$ ${shown}`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: opts.capture ? ['ignore', 'pipe', 'pipe'] : 'inherit', encoding: 'utf8', env: { ...process.env, ...(opts.env || {}) } });
  if (r.error) throw new Error(`${shown}: ${r.error.message}`);
  if (r.status !== 0 && !opts.allowFail) {
    const tail = opts.capture ? `\n${(r.stdout || '').slice(-4000)}${(r.stderr || '').slice(-4000)}` : '';
    throw new Error(`${shown} exited with ${r.status}${tail}`);
  }
  return r;
}

/** Output of a command, or null when it cannot run. */
export function output(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  return r.stdout.trim();
}

/** The wasm-bindgen version pinned in Cargo.toml (`wasm-bindgen = "=X.Y.Z"`). */
export function pinnedWasmBindgen() {
  const toml = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8');
  const m = toml.match(/^\s*wasm-bindgen\s*=\s*(?:\{[^}]*version\s*=\s*)?"=?([0-9][0-9.]*)"/m);
  if (!m) throw new Error('Cargo.toml does not pin wasm-bindgen (expected wasm-bindgen = "=X.Y.Z")');
  return m[1];
}

export function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export function exists(p) {
  return existsSync(p);
}

/** Spawn a long-running child (for the server); returns the ChildProcess. */
export function spawnChild(cmd, args, opts = {}) {
  return spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
}

export function isMain(metaUrl) {
  return process.argv[1] && fileURLToPath(metaUrl) === process.argv[1];
}
