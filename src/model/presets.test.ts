import { describe, expect, it } from 'vitest';
import { getPreset, listPresets, PRESET_IDS } from './presets';
import { analyzeNetwork } from './shapes';
import { validateTrainConfig } from './validate';

describe('presets', () => {
  it('lists every id once, in order', () => {
    expect(listPresets().map((p) => p.id)).toEqual([...PRESET_IDS]);
  });

  it.each(PRESET_IDS)('%s validates on 1×28×28 and ends in 10 class scores', (id) => {
    const p = getPreset(id);
    expect(p.spec.input).toEqual({ C: 1, H: 28, W: 28 });
    const a = analyzeNetwork(p.spec);
    expect(a.errors.map((e) => e.message)).toEqual([]);
    expect(a.output).toEqual([10]);
    expect(validateTrainConfig(p.train)).toEqual([]);
    expect(p.title.length).toBeGreaterThan(0);
    expect(p.description.length).toBeGreaterThan(20);
    expect(new Set(p.spec.layers.map((l) => l.id)).size).toBe(p.spec.layers.length);
  });

  it('parameter counts', () => {
    const params = (id: (typeof PRESET_IDS)[number]) => analyzeNetwork(getPreset(id).spec).totals.params;
    expect(params('reference-cnn')).toBe(50_186);
    expect(params('lenet-5')).toBe(156 + 2_416 + 48_120 + 10_164 + 850);
    expect(params('mlp')).toBe(101_770);
  });

  it('all-conv downsamples with stride-2 convs and no pooling', () => {
    const p = getPreset('all-conv');
    expect(p.spec.layers.some((l) => l.kind === 'max-pool' || l.kind === 'avg-pool')).toBe(false);
    const a = analyzeNetwork(p.spec);
    expect(a.layers.find((l) => l.id === 'down2')!.outShape).toEqual([64, 7, 7]);
  });

  it('one-by-one squeezes 32 channels to 8 for 264 params', () => {
    const a = analyzeNetwork(getPreset('one-by-one').spec);
    const sq = a.layers.find((l) => l.id === 'squeeze')!;
    expect(sq.inShape).toEqual([32, 14, 14]);
    expect(sq.outShape).toEqual([8, 14, 14]);
    expect(sq.params).toBe(264);
  });

  it('depthwise-separable: a depthwise 3×3 and a pointwise 1×1 instead of a plain 3×3 conv', () => {
    const a = analyzeNetwork(getPreset('depthwise-separable').spec);
    const dw = a.layers.find((l) => l.id === 'depthwise')!;
    const pw = a.layers.find((l) => l.id === 'pointwise')!;
    expect(dw.inShape).toEqual([32, 14, 14]);
    expect(dw.params).toBe(32 * (3 * 3 + 1));
    expect(dw.arithmetic.params).toBe('32·(3·3·32/32 + 1) = 320');
    expect(dw.macs).toBe(14 * 14 * 32 * 9);
    expect(pw.params).toBe(64 * (32 + 1));
    expect(a.totals.params).toBe(320 + 320 + 2_112 + 31_370);
  });

  it('bn-dropout trains with Adam 1e-3 on a cosine schedule', () => {
    const p = getPreset('bn-dropout');
    expect(p.train.optimizer).toMatchObject({ kind: 'adam', lr: 1e-3 });
    expect(p.train.schedule.kind).toBe('cosine');
    expect(analyzeNetwork(p.spec).totals.stateCount).toBe(2 * 32 + 2 * 64);
  });

  it('hands out copies', () => {
    const a = getPreset('mlp');
    a.spec.layers.pop();
    expect(getPreset('mlp').spec.layers).toHaveLength(3);
  });
});
