// Why: a click on a confusion-matrix cell asks for the test images of one true class that the network
// put in one predicted class. The images live in the worker (the test split can be tens of MB in
// colour), so the worker searches them and sends only the few that are shown.
import type { LabelledImages } from '../data/idx';

export interface MisclassifiedFound {
  /** Every matching test image's index, in order. */
  indices: number[];
  /** The first `limit` of them, C×H×W bytes each. */
  images: Uint8Array;
  rows: number;
  cols: number;
  channels: number;
}

/** The test images labelled `actual` that `predictions` (one class for each of the first test images)
 *  put in `predicted`. */
export function findMisclassified(test: LabelledImages, predictions: Uint8Array, actual: number, predicted: number, limit: number): MisclassifiedFound {
  if (predictions.length > test.count) throw new RangeError(`${predictions.length} predictions for ${test.count} test images: the test set changed, evaluate again`);
  const indices: number[] = [];
  for (let i = 0; i < predictions.length; i++) if (test.labels[i] === actual && predictions[i] === predicted) indices.push(i);
  const channels = test.channels ?? 1;
  const px = channels * test.rows * test.cols;
  const shown = indices.slice(0, Math.max(0, limit));
  const images = new Uint8Array(shown.length * px);
  shown.forEach((idx, k) => images.set(test.images.subarray(idx * px, (idx + 1) * px), k * px));
  return { indices, images, rows: test.rows, cols: test.cols, channels };
}
