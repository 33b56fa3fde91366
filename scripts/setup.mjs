// Idempotent setup: installs only what is missing. Node built-ins only (runs before `npm ci`).
//   node scripts/setup.mjs            npm deps, wasm target, wasm-bindgen CLI, xz
//   node scripts/setup.mjs --browser  also Chromium + chromedriver (for the tests)
import { join } from 'node:path';
import { ROOT, TOOLS, WASM_BINDGEN, CHROMIUM, CHROMEDRIVER, log, run, output, pinnedWasmBindgen, isRoot, exists, isMain } from './lib.mjs';

function npmDeps() {
  const need = ['playwright-core', 'binaryen', 'esbuild', '@gfx/zopfli', 'axe-core'].filter((p) => !exists(join(ROOT, 'node_modules', p, 'package.json')));
  if (need.length === 0) return log('npm dependencies: present');
  log(`npm dependencies: installing (${need.join(', ')} missing)`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  run(npm, exists(join(ROOT, 'package-lock.json')) ? ['ci', '--no-audit', '--no-fund'] : ['install', '--no-audit', '--no-fund']);
}

function wasmTarget() {
  const installed = output('rustup', ['target', 'list', '--installed']);
  if (installed === null) {
    log('rustup not found: assuming the toolchain already has wasm32-unknown-unknown');
    return;
  }
  if (installed.split('\n').includes('wasm32-unknown-unknown')) return log('rust target wasm32-unknown-unknown: present');
  log('rust target wasm32-unknown-unknown: installing');
  run('rustup', ['target', 'add', 'wasm32-unknown-unknown']);
}

function wasmBindgen() {
  const want = pinnedWasmBindgen();
  const have = exists(WASM_BINDGEN) ? output(WASM_BINDGEN, ['--version']) : null;
  if (have === `wasm-bindgen ${want}`) return log(`wasm-bindgen ${want}: present in .tools`);
  log(`wasm-bindgen ${want}: installing into .tools (found: ${have ?? 'none'}; takes a few minutes)`);
  // `--locked` fails for this version (its lockfile pins a yanked crate); the unlocked build works.
  run('cargo', ['install', 'wasm-bindgen-cli', '--version', want, '--root', TOOLS, '--force']);
}

/** xz (Debian's xz-utils, usually there): the build stores the core wasm LZMA-compressed with it. */
function xz() {
  if (output('xz', ['--version']) !== null) return log('xz: present');
  if (!isRoot()) return log('xz missing (sudo apt-get install -y xz-utils): the build will store the core wasm as a string, ~50 KB more gzipped');
  log('xz: installing with apt-get');
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', 'xz-utils'], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
}

function browser() {
  if (exists(CHROMIUM) && exists(CHROMEDRIVER)) return log('chromium + chromedriver: present');
  if (!isRoot()) throw new Error(`Chromium/chromedriver missing (${CHROMIUM}, ${CHROMEDRIVER}). Install them: sudo apt-get install -y chromium chromium-driver`);
  log('chromium + chromedriver: installing with apt-get');
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', 'chromium', 'chromium-driver'], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
}

export function setup({ browser: withBrowser = false } = {}) {
  npmDeps();
  wasmTarget();
  wasmBindgen();
  xz();
  if (withBrowser) browser();
  log('setup: done');
}

if (isMain(import.meta.url)) {
  try {
    setup({ browser: process.argv.includes('--browser') });
  } catch (e) {
    console.error(`[als] setup failed: ${e.message}`);
    process.exit(1);
  }
}
