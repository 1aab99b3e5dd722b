import { describe, expect, it } from 'vitest';
import { BUILTIN_DATASETS, checkDescriptor, dataMismatch, fitSpecToData, type DatasetDescriptor } from './datasets';
import { getPreset, PRESET_IDS } from './presets';
import { analyzeNetwork } from './shapes';
import { parseNetworkSpec } from './serialize';
import { classesOf } from './spec';

const shapes: DatasetDescriptor = {
  id: 'own',
  name: 'shapes',
  input: { C: 3, H: 32, W: 32 },
  classNames: ['circle', 'square', 'triangle'],
  mean: [0.2, 0.3, 0.4],
  std: [0.3, 0.3, 0.3],
  trainCount: 240,
  testCount: 60,
};

describe('dataset descriptors', () => {
  it('built-ins are valid 1×28×28 ten-class datasets', () => {
    for (const d of Object.values(BUILTIN_DATASETS)) {
      expect(checkDescriptor(d)).toEqual([]);
      expect(d.classNames).toHaveLength(10);
    }
  });

  it('refuses one class, duplicate names, a bad channel count and a zero std, each by name', () => {
    expect(checkDescriptor({ ...shapes, classNames: ['only'] })).toEqual([expect.stringMatching(/1 class; a classifier needs at least 2/)]);
    expect(checkDescriptor({ ...shapes, classNames: Array.from({ length: 101 }, (_, i) => `c${i}`) }).join()).toMatch(/101 classes; at most 100/);
    expect(checkDescriptor({ ...shapes, classNames: ['a', 'a', 'b'] }).join()).toMatch(/same name/);
    expect(checkDescriptor({ ...shapes, input: { C: 2, H: 32, W: 32 } }).join()).toMatch(/not C = 2/);
    expect(checkDescriptor({ ...shapes, std: [0.3, 0, 0.3] }).join()).toMatch(/standard deviation of 0/);
  });

  it('says how a design and the data disagree, in the user\'s words', () => {
    const p = getPreset('reference-cnn');
    expect(dataMismatch(p.spec, BUILTIN_DATASETS.mnist)).toBeUndefined();
    expect(dataMismatch(p.spec, shapes)).toBe('this design expects 1×28×28; your data is 3×32×32');
    expect(dataMismatch({ ...p.spec, input: { C: 3, H: 32, W: 32 } }, shapes)).toBe('this design ends in 10 class scores; your data has 3 classes');
  });

  it.each(PRESET_IDS)('preset %s adapts its input and output to 3×32×32 with 3 classes and still fits', (id) => {
    const fitted = fitSpecToData(getPreset(id).spec, shapes);
    expect(fitted.input).toEqual({ C: 3, H: 32, W: 32 });
    expect(classesOf(fitted)).toBe(3);
    expect(dataMismatch(fitted, shapes)).toBeUndefined();
    const a = analyzeNetwork(fitted);
    expect(a.errors.map((e) => e.reason)).toEqual([]);
    expect(a.output).toEqual([3]);
  });

  it('keeps ten-class designs free of the classes field (old links stay identical) and round-trips it', () => {
    const p = getPreset('mlp');
    expect(fitSpecToData(p.spec, BUILTIN_DATASETS.mnist)).toEqual(p.spec);
    const fitted = fitSpecToData(p.spec, shapes);
    const back = parseNetworkSpec(JSON.parse(JSON.stringify(fitted)));
    expect(back).toEqual({ ok: true, value: fitted });
    expect(parseNetworkSpec({ ...fitted, classes: 1 })).toMatchObject({ ok: false, error: expect.stringMatching(/classes.*2 to 100/) });
  });

  it('a design whose classes are out of range is an error of the network', () => {
    const spec = { ...getPreset('mlp').spec, classes: 101 };
    expect(analyzeNetwork(spec).errors.map((e) => e.reason).join()).toMatch(/101 classes: a network classifies into 2 to 100 classes/);
  });
});
