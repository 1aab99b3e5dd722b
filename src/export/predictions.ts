// Why: "the PyTorch export computes what the app computes" is checked outside the browser
// (tools/check-pytorch-export.py), so the app writes its test-set predictions in a file Python reads
// without extra packages: safetensors with one F32 tensor `probabilities` [N, 10] (softmax of the
// network's scores, test images in file order, eval mode) and metadata saying which images they are.
import { CLASSES, DATASETS, type Dataset } from '../model';
import { ExportError, ImportError } from './import-error';
import { decodeSafetensors, encodeSafetensors } from './safetensors';

export const PREDICTIONS_FORMAT = 'convplay-predictions';

export interface Predictions {
  /** Row-major [count, classes] softmax probabilities. */
  probabilities: Float32Array;
  count: number;
  /** The dataset's class count (absent: 10). */
  classes?: number;
  dataset: Dataset;
  /** Always the test split (t10k files), images 0 … count − 1. */
  split: 'test';
  /** Training step of the weights that made them. */
  step: number;
}

export function predictionsToSafetensors(p: Predictions, normalisation = '(x/255 - 0.1307)/0.3081'): Uint8Array {
  const CLASSES = p.classes ?? 10;
  if (!Number.isSafeInteger(p.count) || p.count < 0 || p.probabilities.length !== p.count * CLASSES)
    throw new ExportError('probabilities', `${p.probabilities.length} values for ${p.count} images × ${CLASSES} classes`);
  return encodeSafetensors([{ name: 'probabilities', dtype: 'F32', shape: [p.count, CLASSES], data: p.probabilities }], {
    format: PREDICTIONS_FORMAT,
    dataset: p.dataset,
    split: p.split,
    step: String(p.step),
    normalisation,
  });
}

/** Reads a predictions file back (for tests and tooling). Throws ImportError. */
export function predictionsFromSafetensors(bytes: Uint8Array): Predictions {
  const f = decodeSafetensors(bytes);
  if (f.metadata['format'] !== PREDICTIONS_FORMAT) throw new ImportError('not-convplay', `expected metadata format "${PREDICTIONS_FORMAT}"`);
  const t = f.tensors.find((x) => x.name === 'probabilities');
  if (!t || t.dtype !== 'F32' || t.shape.length !== 2 || !(t.shape[1]! >= 2 && t.shape[1]! <= 100) || f.tensors.length !== 1)
    throw new ImportError('tensor-shape', `expected exactly one F32 tensor "probabilities" [N, classes] (2 to 100 classes; MNIST ${CLASSES})`);
  const dataset = f.metadata['dataset'] as Dataset | undefined;
  if (!dataset || !DATASETS.includes(dataset)) throw new ImportError('metadata', `unknown dataset ${JSON.stringify(dataset ?? null)}`);
  const step = Number(f.metadata['step']);
  return { probabilities: t.data, count: t.shape[0]!, classes: t.shape[1]!, dataset, split: 'test', step: Number.isSafeInteger(step) ? step : 0 };
}
