import { describe, expect, it } from 'vitest';
import { checkLayerFields, checkWindowFit, LIMITS, ShapeError, suggestFit, validateTrainConfig } from './validate';
import { defaultTrainConfig, newTrainConfig, type LayerSpec } from './spec';

const layer: LayerSpec = { id: 'c', kind: 'conv2d', K: 1, F: 3, S: 3, P: 0, dilation: 1, bias: true };

describe('ShapeError', () => {
  it('carries where and why, and survives postMessage as a plain object', () => {
    const e = new ShapeError({ layerId: 'c', layerIndex: 2, field: 'S', reason: 'it does not fit', suggestion: 'use S = 1' });
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('ShapeError');
    expect(e.message).toBe('layer 3 (c): it does not fit. use S = 1');
    const info = structuredClone(e.toJSON());
    expect(info).toEqual({ layerId: 'c', layerIndex: 2, field: 'S', reason: 'it does not fit', suggestion: 'use S = 1' });
    expect(ShapeError.from(info).message).toBe(e.message);
  });
});

describe('window fit', () => {
  const g = { H: 7, W: 7, FH: 3, FW: 3, S: 3, PH: 0, PW: 0, dilation: 1 };
  it('explains in lecture terms and suggests padding first', () => {
    const e = checkWindowFit(layer, 0, g, 'filter')!;
    expect(e.reason).toBe("7×7 input, 3×3 filter, stride 3: (7 − 3)/3 + 1 = 2.33, doesn't fit");
    expect(e.suggestion).toBe('padding P = 1 makes it fit: (7 − 3 + 2·1)/3 + 1 = 3');
  });
  it('falls back to a stride when no allowed padding fits', () => {
    expect(suggestFit({ ...g, H: 28, W: 28, S: 2 })).toBe('stride S = 1 makes it fit: (28 − 3)/1 + 1 = 26');
  });
  it('names the axis when height and width differ', () => {
    const e = checkWindowFit(layer, 0, { ...g, H: 9, W: 7 }, 'filter')!;
    expect(e.reason).toBe("9×7 input, 3×3 filter, stride 3: W: (7 − 3)/3 + 1 = 2.33, doesn't fit");
  });
  it('speaks of pool windows for pools', () => {
    const e = checkWindowFit(layer, 0, { ...g, FH: 2, FW: 2, S: 2 }, 'pool window')!;
    expect(e.reason).toBe("7×7 input, 2×2 pool window, stride 2: (7 − 2)/2 + 1 = 3.5, doesn't fit");
  });
  it('accepts what fits', () => {
    expect(checkWindowFit(layer, 0, { ...g, S: 2 }, 'filter')).toBeNull();
  });
});

describe('checkLayerFields', () => {
  it('rejects bad ids and unknown activations', () => {
    expect(checkLayerFields({ ...layer, S: 1, id: '' }, 0)[0]!.field).toBe('id');
    expect(checkLayerFields({ ...layer, S: 1, id: 'x'.repeat(LIMITS.maxIdLength + 1) }, 0)[0]!.field).toBe('id');
    expect(checkLayerFields({ ...layer, S: 1, activation: 'softmax' as never }, 0)[0]!.field).toBe('activation');
  });
  it('rejects a malformed rectangular F', () => {
    expect(checkLayerFields({ ...layer, F: [3] as never }, 0)[0]!.field).toBe('F');
    expect(checkLayerFields({ ...layer, F: [3, 0] }, 0)[0]!.field).toBe('F');
  });
});

describe('validateTrainConfig', () => {
  it('accepts the default config', () => {
    expect(validateTrainConfig(defaultTrainConfig)).toEqual([]);
  });
  it('reports each bad field by its dotted path', () => {
    const cfg = newTrainConfig({ batch: 0, epochs: 1.5, seed: -1 });
    cfg.optimizer = { kind: 'sgd', lr: Number.NaN, momentum: 1, nesterov: true };
    cfg.schedule = { kind: 'step', stepSize: 0, gamma: 2 };
    const fields = validateTrainConfig(cfg).map((i) => i.field);
    expect(fields).toEqual(['batch', 'epochs', 'seed', 'optimizer.lr', 'optimizer.momentum', 'schedule.stepSize', 'schedule.gamma']);
  });
  it('checks ranges: lr ≤ 10, batch ≤ 1024, seed ≤ 2^32 − 1, weight decay ≥ 0, minLr ≤ lr', () => {
    const at = (patch: (c: ReturnType<typeof newTrainConfig>) => void) => {
      const c = newTrainConfig();
      patch(c);
      return validateTrainConfig(c).map((i) => i.field);
    };
    expect(at((c) => (c.optimizer.lr = 11))).toEqual(['optimizer.lr']);
    expect(at((c) => (c.batch = 1025))).toEqual(['batch']);
    expect(at((c) => (c.batch = 1024))).toEqual([]);
    expect(at((c) => (c.seed = 2 ** 32 - 1))).toEqual([]);
    expect(at((c) => (c.seed = 2 ** 32))).toEqual(['seed']);
    expect(at((c) => (c.optimizer.weightDecay = -0.1))).toEqual(['optimizer.weightDecay']);
    expect(at((c) => (c.schedule = { kind: 'cosine', minLr: 1 }))).toEqual(['schedule.minLr']);
    expect(at((c) => (c.optimizer = { kind: 'sgd', lr: 0.1, nesterov: true }))).toEqual(['optimizer.nesterov']);
    expect(at((c) => (c.optimizer = { kind: 'adamw', lr: 1e-3, beta2: 1 }))).toEqual(['optimizer.beta2']);
    expect(at((c) => (c.dataset = 'cifar' as never))).toEqual(['dataset']);
  });
  it('phrases messages for the form', () => {
    const c = newTrainConfig({ batch: 0 });
    expect(validateTrainConfig(c)[0]!.message).toBe('batch size must be a whole number from 1 to 1,024, got 0');
  });
});
