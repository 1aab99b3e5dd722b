// Why: one config for the app (Vite) and the unit tests (Vitest browser mode in real Chromium,
// so WGSL kernels are tested where they run). Two builds:
// - `vite build` (npm run build): the site users host — the app alone, relative paths (any static
//   host, any sub-path), a web app manifest and a service worker for offline use (tools/offline-site.mjs).
// - `vite build --mode test` (tests and tools): into dist-test/, adding the harness and benchmark pages
//   (TF.js included) and the debug hooks (import.meta.env.MODE === 'test'); no service worker, so
//   tests that intercept requests see them all.
import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { chromiumArgs, chromiumExecutable } from './tools/chromium.mjs';
import { offlineSite } from './tools/offline-site.mjs';

export default defineConfig(({ mode }) => {
  const testBuild = mode === 'test';
  const pages: Record<string, string> = testBuild ? { main: 'index.html', harness: 'harness.html', bench: 'bench.html', 'bench-kernels': 'bench-kernels.html' } : { main: 'index.html' };
  return {
    base: './',
    worker: { format: 'es' },
    plugins: testBuild ? [] : [offlineSite()],
    build: {
      target: 'es2022',
      outDir: testBuild ? 'dist-test' : 'dist',
      rollupOptions: { input: pages },
    },
    // Pre-bundled up front: found one by one on a clean clone, each made Vite reload the browser
    // under a running unit test ("Vite unexpectedly reloaded a test").
    optimizeDeps: { include: ['lit', 'lit/decorators.js', 'lit/directives/repeat.js', 'chart.js'] },
    server: { port: 5173 },
    preview: { port: 4173 },
    test: {
      // The slow tier (CP_SLOW=1, npm run test:slow): learning proofs that take minutes on a CPU adapter.
      include: process.env.CP_SLOW ? ['src/**/*.slow.test.ts'] : ['src/**/*.test.ts'],
      exclude: process.env.CP_SLOW ? [] : ['src/**/*.slow.test.ts', '**/node_modules/**'],
      testTimeout: 120_000,
      hookTimeout: 120_000,
      browser: {
        enabled: true,
        headless: true,
        screenshotFailures: false,
        provider: playwright({
          launchOptions: { executablePath: chromiumExecutable(), args: chromiumArgs },
        }),
        instances: [{ browser: 'chromium' }],
      },
    },
  };
});
