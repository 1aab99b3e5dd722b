// Why: the Node-side tools (training run, benchmarks) need the built app served from localhost (a
// secure context for WebGPU) and a Chromium with the right flags; this starts both.
import { chromium } from 'playwright';
import { preview } from 'vite';
import { chromiumLaunchOptions } from './chromium.mjs';

/** Serves the test build, dist-test/ (run `vite build --mode test` first) and launches headless Chromium; returns both and a closer. */
export async function startBrowser({ port = 4180 } = {}) {
  const server = await preview({ mode: 'test', preview: { port, strictPort: false }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0] ?? `http://localhost:${port}/`;
  const browser = await chromium.launch(chromiumLaunchOptions());
  return {
    url,
    browser,
    async close() {
      await browser.close();
      await new Promise((resolve) => server.httpServer.close(resolve));
    },
  };
}
