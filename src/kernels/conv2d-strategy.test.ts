// The strategy modules are the only readers of the adapter profile: what each profile picks, and the
// limit errors that name the kernel and the limit.
import { describe, expect, it } from 'vitest';
import { KernelLimitError, type Gpu, type ProfileKind } from '../gpu';
import { convVariant, igemmGradWeightSplits, igemmWGY } from './conv2d-strategy';
import { matmulVariant } from './matmul-strategy';

const fakeGpu = (kind: ProfileKind, subgroups = true, maxInvocations = 256) =>
  ({ profile: { kind, subgroups, limits: { maxComputeInvocationsPerWorkgroup: maxInvocations } }, limits: { maxComputeInvocationsPerWorkgroup: maxInvocations } }) as unknown as Gpu;

const conv1 = { N: 100, C: 1, H: 28, W: 28, K: 32, FH: 3, FW: 3, S: 1, PH: 1, PW: 1, dilation: 1 };
const conv2 = { ...conv1, C: 32, H: 14, W: 14, K: 64 };
const strided = { ...conv2, S: 2, PH: 2 };

describe('conv2d and matmul strategies', () => {
  it('hardware: the workgroup-tiled kernels for every pass and shape', () => {
    const hw = fakeGpu('hardware');
    for (const s of [conv1, conv2, strided]) for (const pass of ['forward', 'grad-input', 'grad-weight'] as const) expect(convVariant(hw, pass, undefined, s)).toBe('igemm');
    expect(matmulVariant(hw, undefined, { M: 100, N: 10, K: 3136 })).toBe('tiled');
  });

  it('software: rows for one-channel layers (with subgroups), GEMMs on padded copies, direct where the GEMM cannot', () => {
    const sw = fakeGpu('software');
    expect(convVariant(sw, 'forward', undefined, conv1)).toBe('rows');
    expect(convVariant(fakeGpu('software', false), 'forward', undefined, conv1)).toBe('gemm');
    expect(convVariant(sw, 'grad-weight', undefined, conv2)).toBe('gemm');
    expect(convVariant(sw, 'grad-input', undefined, strided)).toBe('direct');
    expect(convVariant(sw, 'forward', 'igemm', conv2)).toBe('igemm');
    expect(matmulVariant(sw, undefined, { M: 100, N: 3136, K: 10 })).toBe('scalar');
    expect(matmulVariant(sw, undefined, { M: 100, N: 12, K: 16 })).toBe('vec4');
  });

  it('igemm workgroups: 128 threads for ≤ 32 rows or a small adapter, else 256; below 128 a named limit error', () => {
    expect(igemmWGY(fakeGpu('hardware'), 32)).toBe(8);
    expect(igemmWGY(fakeGpu('hardware'), 64)).toBe(16);
    expect(igemmWGY(fakeGpu('hardware', true, 128), 64)).toBe(8);
    expect(() => igemmWGY(fakeGpu('hardware', true, 64), 64)).toThrow(KernelLimitError);
    expect(() => igemmWGY(fakeGpu('hardware', true, 64), 64)).toThrow(/conv2d-igemm: .*maxComputeInvocationsPerWorkgroup/);
  });

  it('igemm filter gradient: batch splits that give the GPU about 256 workgroups, never more than N', () => {
    expect(igemmGradWeightSplits(fakeGpu('hardware'), 5, 100)).toBe(52);
    expect(igemmGradWeightSplits(fakeGpu('hardware'), 1, 100)).toBe(100);
    expect(igemmGradWeightSplits(fakeGpu('hardware'), 1000, 100)).toBe(1);
  });
});
