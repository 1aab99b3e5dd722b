import { describe, expect, it } from 'vitest';
import { testGpu } from '../testing/gpu';
import { bucketSize } from './buffer-pool';
import { defineKernel, KernelLimitError, ShaderCompileError } from './kernel-spec';
import { packParams, paramsByteSize, parseWgslParams } from './params';
import { splitGrid } from './gpu';

const copySource = `// copy: y = x + params.add
struct Params {
  n: u32,
  add: f32,
}
override WG: u32 = 64;
@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  if (gid.x < params.n) { y[gid.x] = x[gid.x] + params.add; }
}
`;

const copy = defineKernel({
  name: 'test-copy',
  source: copySource,
  params: { n: 'u32', add: 'f32' } as const,
  bindings: [
    { name: 'x', access: 'read' },
    { name: 'y', access: 'read_write' },
  ],
  overrides: { WG: 64 },
  workgroupSize: (o) => [o.WG, 1, 1],
  workgroupBytes: (o) => o.WG * 16,
});

describe('params packing', () => {
  it('packs in order, little-endian, padded to 16 bytes', () => {
    const layout = { a: 'u32', b: 'i32', c: 'f32' } as const;
    const buf = packParams('k', layout, { a: 7, b: -2, c: 0.5 });
    expect(buf.byteLength).toBe(16);
    const v = new DataView(buf);
    expect([v.getUint32(0, true), v.getInt32(4, true), v.getFloat32(8, true)]).toEqual([7, -2, 0.5]);
    expect(paramsByteSize({ a: 'u32', b: 'u32', c: 'u32', d: 'u32', e: 'u32' })).toBe(32);
  });
  it('refuses bad values with the kernel and field name', () => {
    expect(() => packParams('conv2d', { S: 'u32' } as const, { S: -1 })).toThrowError(/conv2d: param S must be a u32/);
    expect(() => packParams('conv2d', { S: 'u32' } as const, { S: 1.5 })).toThrowError(/u32/);
    expect(() => packParams('conv2d', { lr: 'f32' } as const, { lr: NaN })).toThrowError(/lr must be a finite number/);
  });
  it('parses a WGSL Params struct', () => {
    expect(parseWgslParams(copySource)).toEqual([
      ['n', 'u32'],
      ['add', 'f32'],
    ]);
  });
});

describe('grid splitting', () => {
  it('keeps every dimension under the cap and covers the work', () => {
    expect(splitGrid(10)).toEqual([10, 1, 1]);
    const [x, y] = splitGrid(200_000);
    expect(x).toBeLessThanOrEqual(65535);
    expect(x * y).toBeGreaterThanOrEqual(200_000);
  });
});

describe('buffer pool', () => {
  it('buckets sizes with bounded waste', () => {
    expect(bucketSize(1)).toBe(256);
    expect(bucketSize(1000)).toBe(1024);
    const big = 3_000_000;
    expect(bucketSize(big)).toBeGreaterThanOrEqual(big);
    expect(bucketSize(big) / big).toBeLessThan(1.07);
  });
  it('counts live and pooled bytes and reuses released buffers', async () => {
    const gpu = await testGpu();
    const before = gpu.pool.stats;
    const a = gpu.storage(1000, 'a');
    expect(gpu.pool.stats.bytesLive - before.bytesLive).toBe(1024);
    gpu.release(a);
    expect(gpu.pool.stats.bytesLive).toBe(before.bytesLive);
    expect(gpu.pool.stats.bytesPooled - before.bytesPooled).toBe(1024);
    const b = gpu.storage(900, 'b');
    expect(b).toBe(a);
    expect(() => {
      gpu.release(b);
      gpu.release(b);
    }).toThrowError(/not a live buffer/);
  });
});

describe('pipeline cache and bound kernels', () => {
  it('creates a pipeline once per override set, runs it and reads back', async () => {
    const gpu = await testGpu();
    const created = gpu.pipelines.stats.created;
    const p1 = await gpu.prepare(copy);
    const p2 = await gpu.prepare(copy, { WG: 64 });
    expect(p1).toBe(p2);
    expect(gpu.pipelines.stats.created).toBe(created + 1);
    await gpu.prepare(copy, { WG: 32 });
    expect(gpu.pipelines.stats.created).toBe(created + 2);

    const x = gpu.upload(new Float32Array([1, 2, 3, 4, 5]), 'x');
    const y = gpu.storage(20, 'y');
    const k = gpu.bind(p1, { n: 5, add: 10 }, [x, y], [1, 1, 1]);
    gpu.run([k]);
    expect([...(await gpu.readF32(y, 5))]).toEqual([11, 12, 13, 14, 15]);
    k.setParams({ n: 5, add: -1 });
    gpu.run([k]);
    expect([...(await gpu.readF32(y, 5))]).toEqual([0, 1, 2, 3, 4]);
    k.dispose();
    gpu.release(x);
    gpu.release(y);
  });

  it('reports WGSL compile errors with the kernel name and line:column', async () => {
    const gpu = await testGpu();
    const broken = { ...copy, name: 'test-broken', source: copySource.replace('x[gid.x] + params.add', 'x[gid.x] + undefinedThing') };
    const err = await gpu.prepare(broken).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShaderCompileError);
    expect((err as Error).message).toMatch(/test-broken\.wgsl:12:\d+: .*undefinedThing/);
  });

  it('refuses a tiling beyond the adapter limits, naming the kernel and the limit', async () => {
    const gpu = await testGpu();
    await expect(gpu.prepare(copy, { WG: 1024 })).rejects.toThrowError(KernelLimitError);
    await expect(gpu.prepare(copy, { WG: 1024 })).rejects.toThrowError(/test-copy: .*maxComputeInvocationsPerWorkgroup/);
    await expect(gpu.prepare({ ...copy, name: 'test-copy-big', workgroupBytes: () => 1 << 20 })).rejects.toThrowError(/maxComputeWorkgroupStorageSize/);
  });
});
