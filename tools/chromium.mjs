// Why: every place that launches a browser (Vitest browser mode, Playwright e2e, the benchmarks)
// needs the same Chromium and the same WebGPU flags. They live here once.
import { existsSync } from 'node:fs';

/** Flags that make WebGPU work headless on a machine without a GPU (SwiftShader, a CPU Vulkan),
 *  and that stop Chromium from calling home on a machine with a closed network. */
export const chromiumArgs = [
  '--enable-unsafe-webgpu',
  '--enable-unsafe-swiftshader',
  '--enable-features=Vulkan',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** CHROMIUM_PATH, else Debian's /usr/bin/chromium, else undefined (Playwright's own browser). */
export function chromiumExecutable() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`);
    return fromEnv;
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return undefined;
}

/** Launch options for playwright's chromium.launch(). */
export function chromiumLaunchOptions() {
  return { executablePath: chromiumExecutable(), args: chromiumArgs, headless: true };
}
