// The health rule on its own: numbers in, verdicts out.
import { describe, expect, it } from 'vitest';
import { explodedLayer, firstBadLayer, formatLoss, HealthMonitor, troubleStart } from './health';

const LN10 = Math.log(10);

describe('HealthMonitor', () => {
  it('before any healthy loss, judges against the untrained level ln(classes)', () => {
    const m = new HealthMonitor(10);
    expect(m.reference).toBeCloseTo(LN10, 12);
    expect(m.judge(3.25).kind).toBe('healthy');
    expect(m.judge(6).kind).toBe('elevated');
    expect(m.judge(30).kind).toBe('diverged');
  });

  it('calls NaN and ∞ diverged, whatever the level', () => {
    const m = new HealthMonitor(10);
    expect(m.judge(NaN)).toEqual({ kind: 'diverged', reason: 'the loss became NaN' });
    expect(m.judge(Infinity)).toEqual({ kind: 'diverged', reason: 'the loss became ∞' });
  });

  it('a trained run: 10× its recent median is diverged only above ln(classes) + margin', () => {
    const m = new HealthMonitor(10);
    for (let i = 0; i < 40; i++) m.observe(0.05 + (i % 5) * 0.01);
    expect(m.reference).toBeCloseTo(0.07, 12);
    // 0.9 is 13× the median but below the untrained level: noise, not a blow-up.
    expect(m.judge(0.9).kind).toBe('elevated');
    expect(m.judge(0.5).kind).toBe('healthy');
    expect(m.judge(3.5).kind).toBe('diverged');
    const v = m.judge(7.15e32);
    expect(v.kind).toBe('diverged');
    expect(v.kind === 'diverged' && v.reason).toBe('the loss jumped to 7.15e+32, more than 10× its recent level 0.07');
  });

  it('only healthy losses enter the running level, and only the last 32', () => {
    const m = new HealthMonitor(10);
    for (let i = 0; i < 40; i++) m.observe(i < 8 ? 100 : 0.5);
    expect(m.reference).toBe(0.5);
    m.observe(2); // elevated: does not move the level
    m.observe(1e9);
    expect(m.reference).toBe(0.5);
    m.reset();
    expect(m.reference).toBeCloseTo(LN10, 12);
  });

  it('a long steady stretch of elevated losses that never blows up becomes the new level', () => {
    const m = new HealthMonitor(10);
    for (let i = 0; i < 32; i++) m.observe(0.1);
    for (let i = 0; i < 63; i++) expect(m.observe(0.9).kind).toBe('elevated');
    expect(m.reference).toBe(0.1);
    expect(m.observe(0.9).kind).toBe('elevated');
    expect(m.reference).toBeCloseTo(0.9, 12);
    expect(m.observe(0.9).kind).toBe('healthy');
    // A slow climb is not a level: it stays elevated.
    const c = new HealthMonitor(10);
    for (let i = 0; i < 32; i++) c.observe(0.1);
    for (let i = 0; i < 64; i++) expect(c.observe(0.7 + i * 0.01).kind).toBe('elevated');
    expect(c.reference).toBe(0.1);
  });
});

describe('troubleStart', () => {
  it('is the first step of the unbroken rise that ends in the blow-up', () => {
    const steps = [0.6, 0.5, 0.7, 0.55, 2, 4, 40, NaN].map((loss, i) => ({ step: 41 + i, loss }));
    expect(troubleStart(steps, 6, 0.6)).toBe(45);
    expect(troubleStart(steps, 7, 0.6)).toBe(45);
    // A blow-up out of a healthy stretch starts at itself.
    expect(troubleStart(steps.slice(0, 4).concat({ step: 45, loss: 1e9 }), 4, 0.6)).toBe(45);
  });
});

describe('explodedLayer', () => {
  it('names the first layer whose weights grew past 10× (+1) or stopped being finite', () => {
    const healthy = [
      { layerId: 'fc1', norm: 16 },
      { layerId: 'fc2', norm: 3 },
    ];
    expect(explodedLayer([{ layerId: 'fc1', norm: 40 }, { layerId: 'fc2', norm: 30 }], healthy)).toBeUndefined();
    expect(explodedLayer([{ layerId: 'fc1', norm: 40 }, { layerId: 'fc2', norm: 32 }], healthy)?.layerId).toBe('fc2');
    expect(explodedLayer([{ layerId: 'fc1', norm: NaN }, { layerId: 'fc2', norm: 1e9 }], healthy)).toEqual({ layerId: 'fc1', reason: 'the weights of layer fc1 became non-finite' });
  });
});

describe('firstBadLayer', () => {
  const healthy = [
    { layerId: 'flatten', kind: 'flatten', output: 2.8 },
    { layerId: 'fc1', kind: 'dense', output: 12, gradient: 0.5 },
    { layerId: 'fc2', kind: 'dense', output: 9, gradient: 0.8 },
  ];
  it('the first output (forward order) that went non-finite or 100× its healthy size', () => {
    const bad = [
      { layerId: 'flatten', kind: 'flatten', output: 2.8 },
      { layerId: 'fc1', kind: 'dense', output: 2.5e19, gradient: NaN },
      { layerId: 'fc2', kind: 'dense', output: NaN, gradient: NaN },
    ];
    expect(firstBadLayer(bad, healthy)).toBe('the output of layer fc1 (dense) grew to 2.50e+19 (healthy: 12)');
  });
  it('else the first weight gradient in backward order', () => {
    const bad = [
      { layerId: 'flatten', kind: 'flatten', output: 2.8 },
      { layerId: 'fc1', kind: 'dense', output: 30, gradient: 1e6 },
      { layerId: 'fc2', kind: 'dense', output: 20, gradient: Infinity },
    ];
    expect(firstBadLayer(bad, healthy)).toBe('the weight gradient of layer fc2 (dense) became non-finite');
  });
  it('nothing when every layer stayed near its healthy size', () => {
    expect(firstBadLayer(healthy, healthy)).toBeUndefined();
  });
});

describe('formatLoss', () => {
  it('three significant digits, exponent form when huge or tiny', () => {
    expect(formatLoss(0.78712)).toBe('0.787');
    expect(formatLoss(3370.2)).toBe('3370');
    expect(formatLoss(7.15e32)).toBe('7.15e+32');
    expect(formatLoss(NaN)).toBe('NaN');
  });
});
