// npm test: setup (incl. Chromium), cargo test (the crate and tools/unlzma), the wasm build, wasm-bindgen-test browser tests
// (when the crate has any), and the end-to-end page tests (node --test tests/e2e/).
// Node built-ins only until setup has run.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { setup } from './setup.mjs';
import { build } from './build.mjs';
import { ROOT, WASM_BINDGEN_TEST_RUNNER, CHROMEDRIVER, log, run } from './lib.mjs';

function hasWasmBindgenTests() {
  const toml = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8');
  if (!/^\s*wasm-bindgen-test\s*=/m.test(toml)) return false;
  const dirs = [join(ROOT, 'tests'), join(ROOT, 'src')];
  const walk = (d) => readdirSync(d, { withFileTypes: true }).some((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.rs') && readFileSync(join(d, e.name), 'utf8').includes('wasm_bindgen_test')));
  return dirs.some((d) => existsSync(d) && walk(d));
}

const step = (name) => log(`==== ${name}`);
try {
  step('setup');
  setup({ browser: true });
  step('cargo test');
  run('cargo', ['test', '--workspace']); // the crate and tools/unlzma (the page's LZMA decoder)
  step('wasm build');
  await build();
  if (hasWasmBindgenTests()) {
    step('wasm-bindgen-test (headless Chromium)');
    run('cargo', ['test', '--target', 'wasm32-unknown-unknown', '--no-default-features', '--features', 'models,survival,staging,charts', '--test', 'wasm'], {
      env: { CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER: WASM_BINDGEN_TEST_RUNNER, CHROMEDRIVER, WASM_BINDGEN_TEST_TIMEOUT: '120' },
    });
  } else {
    log('wasm-bindgen-test: no browser tests in the crate, skipped');
  }
  step('end-to-end page tests');
  // Last: node's test runner's closing lines are the last lines of `npm test`.
  run(process.execPath, ['--test', '--test-concurrency=1', 'tests/e2e/'], { env: { ALS_REQUIRE_BUILD: '1' } });
} catch (e) {
  console.error(`[als] npm test failed: ${e.message}`);
  process.exit(1);
}
