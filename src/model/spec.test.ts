import { describe, expect, it } from 'vitest';
import {
  defaultTrainConfig,
  LAYER_KINDS,
  newTrainConfig,
  uniqueLayerId,
  withOptimizerDefaults,
  withScheduleDefaults,
  type NetworkSpec,
} from './spec';
import { newLayer } from './new-layer';
import { checkLayerFields } from './validate';
import { analyzeNetwork } from './shapes';

describe('newLayer', () => {
  it('makes every kind with valid defaults', () => {
    for (const kind of LAYER_KINDS) {
      const l = newLayer(kind, `${kind}-1`);
      expect(l.kind).toBe(kind);
      expect(l.id).toBe(`${kind}-1`);
      expect(checkLayerFields(l, 0)).toEqual([]);
    }
  });
  it('gives random ids that differ when none is given', () => {
    const a = newLayer('conv2d');
    const b = newLayer('conv2d');
    expect(a.id).toMatch(/^conv2d-[0-9a-z]{8}$/);
    expect(a.id).not.toBe(b.id);
  });
  it('is typed by kind', () => {
    const c = newLayer('conv2d', 'c');
    expect(c.K).toBe(16);
    expect(newLayer('dense', 'd').units).toBe(10);
  });
  it('a conv + pool + dense from defaults trains on MNIST', () => {
    const spec: NetworkSpec = {
      version: 1,
      input: { C: 1, H: 28, W: 28 },
      layers: [newLayer('conv2d', 'c'), newLayer('max-pool', 'p'), newLayer('dense', 'd')],
    };
    expect(analyzeNetwork(spec).ok).toBe(true);
  });
});

describe('uniqueLayerId', () => {
  it('takes the first free number', () => {
    expect(uniqueLayerId('conv2d', [])).toBe('conv2d-1');
    expect(uniqueLayerId('conv2d', ['conv2d-1', 'conv2d-3'])).toBe('conv2d-2');
  });
});

describe('train config', () => {
  it('newTrainConfig copies deeply', () => {
    const c = newTrainConfig();
    c.optimizer.lr = 5;
    expect(defaultTrainConfig.optimizer.lr).toBe(1e-3);
  });
  it('fills optimizer and schedule defaults', () => {
    expect(withOptimizerDefaults({ kind: 'adam', lr: 1e-3 })).toEqual({
      kind: 'adam', lr: 1e-3, momentum: 0, nesterov: false, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0,
    });
    expect(withScheduleDefaults({ kind: 'step', gamma: 0.1 })).toEqual({ kind: 'step', warmupSteps: 0, stepSize: 1000, gamma: 0.1, minLr: 0 });
  });
});
