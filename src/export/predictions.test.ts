import { describe, expect, it } from 'vitest';
import { ExportError, ImportError } from './import-error';
import { predictionsFromSafetensors, predictionsToSafetensors } from './predictions';
import { decodeSafetensors, encodeSafetensors } from './safetensors';

describe('predictions file', () => {
  it('round-trips [N, 10] probabilities with the metadata the checker reads', () => {
    const probabilities = Float32Array.from({ length: 30 }, (_, i) => (i % 10) / 45);
    const bytes = predictionsToSafetensors({ probabilities, count: 3, dataset: 'mnist', split: 'test', step: 42 });
    const raw = decodeSafetensors(bytes);
    expect(raw.tensors.map((t) => [t.name, t.dtype, t.shape])).toEqual([['probabilities', 'F32', [3, 10]]]);
    expect(raw.metadata).toMatchObject({ format: 'convplay-predictions', dataset: 'mnist', split: 'test', step: '42' });
    const back = predictionsFromSafetensors(bytes);
    expect(back).toEqual({ probabilities, count: 3, classes: 10, dataset: 'mnist', split: 'test', step: 42 });
  });

  it("round-trips a user dataset's class count", () => {
    const probabilities = Float32Array.from({ length: 12 }, (_, i) => (i % 3) / 3);
    const bytes = predictionsToSafetensors({ probabilities, count: 4, classes: 3, dataset: 'own', split: 'test', step: 7 }, '(x/255 - mean[c])/std[c]');
    expect(decodeSafetensors(bytes).tensors[0]!.shape).toEqual([4, 3]);
    expect(predictionsFromSafetensors(bytes)).toEqual({ probabilities, count: 4, classes: 3, dataset: 'own', split: 'test', step: 7 });
    expect(() => predictionsToSafetensors({ probabilities, count: 4, dataset: 'own', split: 'test', step: 7 })).toThrow(/4 images × 10 classes/);
  });

  it('refuses a wrong size or a foreign file', () => {
    expect(() => predictionsToSafetensors({ probabilities: new Float32Array(11), count: 1, dataset: 'mnist', split: 'test', step: 0 })).toThrow(ExportError);
    expect(() => predictionsFromSafetensors(encodeSafetensors([]))).toThrow(ImportError);
  });
});
