// Why: builds tools/plan/run.ts for Node (WGSL sources bundled as strings): `npm run plan`.
import { defineConfig } from 'vite';

export default defineConfig({
  ssr: { noExternal: true },
  build: { ssr: 'tools/plan/run.ts', outDir: 'node_modules/.convplay-plan', emptyOutDir: true },
  logLevel: 'warn',
});
