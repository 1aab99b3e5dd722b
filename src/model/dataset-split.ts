// Why: a user's images are split into training and test images in the page. The split must be
// stratified (every class keeps the same share in both splits, however unbalanced the collection)
// and seeded (the same collection and seed give the same split, so runs can be repeated), and the
// normalisation must come from the training split alone. Pure code, tested on its own.

/** mulberry32: small, fast, and the same numbers everywhere (no Math.random). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(xs: T[], random: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

export interface DatasetSplit {
  /** Indices into the collection, in a seeded shuffled order. */
  train: number[];
  test: number[];
  trainPerClass: number[];
  testPerClass: number[];
}

/**
 * Splits images with `labels` (0 … classes − 1) so that each class with n ≥ 2 images puts
 * round(n · testFraction) of them, but at least 1 and at most n − 1, into the test split.
 */
export function stratifiedSplit(labels: ArrayLike<number>, classes: number, testFraction: number, seed: number): DatasetSplit {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`the test share must be between 0 and 1, got ${testFraction}`);
  const random = rng(seed);
  const byClass: number[][] = Array.from({ length: classes }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (!(l >= 0 && l < classes)) throw new RangeError(`label ${l} at ${i} is not a class 0–${classes - 1}`);
    byClass[l]!.push(i);
  }
  const train: number[] = [];
  const test: number[] = [];
  const trainPerClass: number[] = [];
  const testPerClass: number[] = [];
  for (const members of byClass) {
    if (members.length < 2) throw new RangeError(`a class has ${members.length} image${members.length === 1 ? '' : 's'}; each needs at least 2 (one to train on, one to test)`);
    shuffle(members, random);
    const nTest = Math.min(members.length - 1, Math.max(1, Math.round(members.length * testFraction)));
    test.push(...members.slice(0, nTest));
    train.push(...members.slice(nTest));
    testPerClass.push(nTest);
    trainPerClass.push(members.length - nTest);
  }
  // Mixed orders: the first test images shown come from several classes.
  return { train: shuffle(train, random), test: shuffle(test, random), trainPerClass, testPerClass };
}

/**
 * Mean and standard deviation per channel of pixel/255 over `count` images of C planes of
 * `plane` bytes each (CHW, image after image), in float64. A constant channel gets std 1 (so
 * normalising never divides by zero; the values are then just shifted).
 */
export function channelStats(images: Uint8Array, count: number, C: number, plane: number): { mean: number[]; std: number[] } {
  if (images.length < count * C * plane) throw new RangeError(`${images.length} bytes cannot hold ${count} images of ${C}×${plane}`);
  const mean: number[] = [];
  const std: number[] = [];
  for (let c = 0; c < C; c++) {
    let sum = 0;
    let sq = 0;
    for (let n = 0; n < count; n++) {
      const base = (n * C + c) * plane;
      for (let j = 0; j < plane; j++) {
        const v = images[base + j]! / 255;
        sum += v;
        sq += v * v;
      }
    }
    const m = sum / (count * plane);
    const variance = Math.max(0, sq / (count * plane) - m * m);
    mean.push(m);
    std.push(variance > 1e-12 ? Math.sqrt(variance) : 1);
  }
  return { mean, std };
}
