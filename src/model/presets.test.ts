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
