// npm start: setup (what is missing), build, serve on 127.0.0.1:PORT (default 8080) and open the
// page with an example loaded. Node built-ins only (runs before `npm ci`).
import { spawn } from 'node:child_process';
import { setup } from './setup.mjs';
import { build } from './build.mjs';
import { serve } from './serve.mjs';
import { log } from './lib.mjs';

const port = Number(process.env.PORT ?? 8080);
try {
  setup();
  await build();
  const { url } = await serve({ dist: true, port });
  const page = `${url}#example=lead-in`;
  log(`serving ${url} (Ctrl+C to stop)`);
  log(`open ${page}`);
  if (!process.env.CI && !process.env.ALS_NO_OPEN && (process.env.DISPLAY || process.env.WAYLAND_DISPLAY || process.platform !== 'linux')) {
    const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
    const child = spawn(opener, [page], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  }
} catch (e) {
  console.error(`[als] npm start failed: ${e.message}`);
  process.exit(1);
}
