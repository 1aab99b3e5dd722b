// Why: builds tools/dawn/run.ts for Node with everything it imports (TF.js included) in the bundle, so
// the folder can be copied to a machine with no node_modules: `npx vite build -c tools/dawn/vite.config.ts`.
import { defineConfig } from 'vite';

export default defineConfig({
  publicDir: 'public',
  ssr: { noExternal: true },
  build: { ssr: 'tools/dawn/run.ts', outDir: process.env.DAWN_OUT ?? 'node_modules/.convplay-dawn', emptyOutDir: true },
  logLevel: 'warn',
});
