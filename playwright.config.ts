// Why: e2e journeys run against the test build of the app (`vite build --mode test`: debug hooks on,
// served by `vite preview`) in the same system Chromium, with the same WebGPU flags, as the unit tests
// (tools/chromium.mjs). e2e/offline-site.spec.ts serves the production build (dist/) itself.
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './tools/chromium.mjs';

// CP_E2E_PORT lets two checkouts on one machine run their journeys side by side.
const port = Number(process.env.CP_E2E_PORT ?? 4173);

export default defineConfig({
  testDir: 'e2e',
  timeout: 180_000,
  expect: { timeout: 60_000 },
  workers: 1,
  reporter: process.env.CI ? 'line' : 'list',
  use: {
    baseURL: `http://localhost:${port}/`,
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions(),
    trace: 'off',
  },
  webServer: {
    command: `npx vite preview --mode test --port ${port} --strictPort`,
    url: `http://localhost:${port}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
