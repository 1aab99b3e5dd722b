// Why: the oracle for the dropout kernels. The mask comes from a counter-based hash of (seed, step,
// element index), so it is reproducible without state: the same hash is written here in u32 arithmetic
// (Math.imul, >>> 0) and in shaders/dropout.wgsl, and the tests require the two masks to be identical.

/** PCG hash (Jarzynski & Olano 2020, "Hash Functions for GPU Rendering"): a bijection on u32. */
export function pcgHash(v: number): number {
  const state = (Math.imul(v >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> ((state >>> 28) + 4)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/** The per-(seed, step) key; for one seed, distinct steps give distinct keys (pcg is a bijection). */
export function dropoutKey(seed: number, step: number): number {
  return pcgHash((pcgHash(seed >>> 0) ^ (step >>> 0)) >>> 0);
}

/** Elements whose hash is below this are dropped: P(drop) = threshold / 2^32 ≈ rate. */
export function dropoutThresholdRef(rate: number): number {
  return Math.min(0xffffffff, Math.round(rate * 2 ** 32));
}

/** 1 where element i is kept, 0 where it is dropped. */
export function dropoutMaskRef(n: number, rate: number, seed: number, step: number): Uint8Array {
  const key = dropoutKey(seed, step);
  const t = dropoutThresholdRef(rate);
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) mask[i] = pcgHash((pcgHash(i) ^ key) >>> 0) >= t ? 1 : 0;
  return mask;
}

/** Inverted dropout: y = x·mask/(1 − rate). */
export function dropoutRef(x: ArrayLike<number>, rate: number, seed: number, step: number): Float64Array {
  const mask = dropoutMaskRef(x.length, rate, seed, step);
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) y[i] = mask[i] ? x[i]! / (1 - rate) : 0;
  return y;
}

/** dx = dy·mask/(1 − rate): the same mask as the forward of the same (seed, step). */
export function dropoutGradRef(dy: ArrayLike<number>, rate: number, seed: number, step: number): Float64Array {
  return dropoutRef(dy, rate, seed, step);
}
