// Why: one config for the app (Vite) and the unit tests (Vitest browser mode in real Chromium,
// so WGSL kernels are tested where they run).
import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { chromiumArgs, chromiumExecutable } from './tools/chromium.mjs';

export default defineConfig({
  worker: { format: 'es' },
  build: { target: 'es2022', rollupOptions: { input: { main: 'index.html', harness: 'harness.html', bench: 'bench.html', 'bench-kernels': 'bench-kernels.html' } } },
  server: { port: 5173 },
  preview: { port: 4173 },
  test: {
    include: ['src/**/*.test.ts'],
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
});
