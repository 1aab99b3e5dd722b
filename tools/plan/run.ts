// Why: anyone can check what one training step dispatches — kernels, workgroups, threads, register
// accumulators, bytes — for either kernel family, without a GPU: the real engine plans the preset
// against a recording stand-in device (src/gpu/fake-device.ts) and every dispatch it encodes is listed.
//   npm run plan -- --preset reference-cnn [--batch 100] [--profile hardware|software]
import { fakeDevice, installWebGpuGlobals, type RecordedDispatch } from '../../src/gpu/fake-device';
import type { KernelSpec } from '../../src/gpu';
import type { PresetId } from '../../src/model';

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
};

// Every kernel spec, by name (as specs.test.ts finds them): workgroup size and accumulators per override
// set. Loaded lazily: the modules read WebGPU's globals when they load.
const modules = import.meta.glob<Record<string, unknown>>(['../../src/kernels/*.ts', '!../../src/kernels/*.test.ts', '!../../src/kernels/*.timing.ts']);
const specs = new Map<string, KernelSpec>();
async function loadSpecs(): Promise<void> {
  for (const load of Object.values(modules)) {
    for (const v of Object.values(await load())) if (typeof v === 'object' && v && 'source' in v && 'workgroupSize' in v) specs.set((v as KernelSpec).name, v as KernelSpec);
  }
}

/** Limits of a large desktop GPU (and of SwiftShader where smaller, so both profiles' plans fit either). */
const LIMITS = {
  maxComputeInvocationsPerWorkgroup: 256, maxComputeWorkgroupStorageSize: 32768, maxComputeWorkgroupSizeX: 256, maxComputeWorkgroupSizeY: 256,
  maxComputeWorkgroupsPerDimension: 65535, maxStorageBufferBindingSize: 2 ** 31 - 4, maxBufferSize: 2 ** 31 - 4, maxStorageBuffersPerShaderStage: 10, maxUniformBufferBindingSize: 65536,
};

const mb = (b: number) => (b / 2 ** 20).toFixed(2);

async function main(): Promise<void> {
  installWebGpuGlobals();
  const profile = opt('profile', 'hardware');
  if (profile !== 'hardware' && profile !== 'software') throw new Error(`--profile must be hardware or software, got ${profile}`);
  const presetId = opt('preset', 'reference-cnn') as PresetId;
  const N = Number(opt('batch', '100'));
  if (!Number.isInteger(N) || N < 1) throw new Error(`--batch must be a positive integer, got ${opt('batch', '')}`);
  // The engine's modules read the WebGPU globals when they load: import them only now.
  await loadSpecs();
  const { Gpu } = await import('../../src/gpu');
  const { Network } = await import('../../src/engine/network');
  const { Optimizer } = await import('../../src/engine/optimizer');
  const { getPreset, PRESET_IDS } = await import('../../src/model');
  if (!(PRESET_IDS as readonly string[]).includes(presetId)) throw new Error(`unknown preset ${presetId}; one of ${PRESET_IDS.join(', ')}`);
  const fake = fakeDevice(['subgroups', 'timestamp-query'], LIMITS);
  const software = profile === 'software';
  const adapter = { vendor: 'plan', architecture: software ? 'swiftshader' : 'any', device: '', description: '', isSoftware: software, features: ['subgroups', 'timestamp-query'] };
  const gpu = new Gpu({ device: fake.device, adapter, limits: LIMITS, lost: new Promise(() => {}) }, profile);
  const preset = getPreset(presetId);
  const net = Network.create(gpu, preset.spec, 1);
  const { C, H, W } = preset.spec.input;
  const imageBytes = C * H * W;
  const input = { kind: 'gather' as const, images: gpu.storage(imageBytes * N, 'images'), labels: gpu.storage(N * 4, 'labels'), indices: gpu.storage(N * 4, 'indices'), imageBytes };
  const plan = await net.plan({ N, train: true, input, seed: 1 });
  const optimizer = await Optimizer.create(gpu, net.store, preset.train.optimizer);
  const segments = [...plan.stepSegments(), { layerId: 'optimizer', phase: 'update', parts: [optimizer.kernel] }];

  console.log(`${presetId}, batch ${N}, ${profile} profile: one training step`);
  const head = ['#', 'layer', 'pass', 'kernel', 'workgroup', 'workgroups', 'threads', 'acc/thread', 'read MiB', 'written MiB'];
  const rows: string[][] = [];
  let totals = { dispatches: 0, threads: 0, read: 0, written: 0 };
  for (const s of segments) {
    fake.reset();
    const enc = fake.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    for (const p of s.parts) p.encode(pass);
    for (const d of fake.dispatches) {
      const row = describe(d);
      totals = { dispatches: totals.dispatches + 1, threads: totals.threads + row.threads, read: totals.read + row.read, written: totals.written + row.written };
      rows.push([String(totals.dispatches), s.layerId, s.phase, d.kernel, row.wg.join('×'), d.workgroups.join('×'), String(row.threads), row.acc, mb(row.read), mb(row.written)]);
    }
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i >= 4 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  console.log(`totals: ${totals.dispatches} dispatches, ${totals.threads} threads, ${mb(totals.read)} MiB read, ${mb(totals.written)} MiB written (bytes bound to each dispatch: an upper bound, pooled buffers round up and a view of the shared gradient buffers counts whole)`);

  // Submits and uniform writes: the trainer records up to MAX_GROUP steps per submit, their per-step
  // values in one step-table write (src/gpu/step-table.ts); per step alone it would be one submit and a
  // writeBuffer per kernel whose values change per step.
  const { StepTable } = await import('../../src/gpu');
  const { MAX_GROUP } = await import('../../src/train/pacing');
  let writes = 0;
  (fake.device.queue as unknown as { writeBuffer: () => void }).writeBuffer = () => void writes++;
  const lr = preset.train.optimizer.lr;
  plan.prepareStep(0, 0, 0, imageBytes);
  optimizer.prepareStep(1, lr, 0);
  const perStep = writes;
  writes = 0;
  fake.reset();
  const table = new StepTable(gpu, MAX_GROUP);
  const pass = fake.device.createCommandEncoder().beginComputePass();
  const parts = [...plan.stepParts(), optimizer.kernel];
  table.record(MAX_GROUP, (s) => (plan.prepareStep(s, s * N, s, imageBytes), optimizer.prepareStep(s + 1, lr, s)), () => parts.forEach((p) => p.encode(pass)));
  console.log(`submits: ${MAX_GROUP} steps in 1 submit with ${writes} writeBuffer (step table), ${fake.dispatches.length} dispatches; one step per submit would take ${MAX_GROUP} submits and ${MAX_GROUP * perStep} writeBuffer calls (${perStep} per step)`);
}

function describe(d: RecordedDispatch) {
  const spec = specs.get(d.kernel);
  if (!spec) throw new Error(`no kernel spec named ${d.kernel}`);
  const o = { ...spec.overrides, ...d.constants };
  const wg = spec.workgroupSize(o);
  const threads = wg[0] * wg[1] * wg[2] * d.workgroups[0] * d.workgroups[1] * d.workgroups[2];
  const sum = (a: 'read' | 'read_write') => d.bindings.filter((b) => b.access === a).reduce((t, b) => t + b.bytes, 0);
  return { wg, threads, acc: spec.accumulators ? String(spec.accumulators(o)) : '-', read: sum('read'), written: sum('read_write') };
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
