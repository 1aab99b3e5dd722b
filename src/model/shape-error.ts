// Why: every error message in model/ names a layer, a field, what is wrong and, when a small change
// fixes it, which; one error type carries that to the UI, the engine and the importer alike. The
// design bounds live here too, so a typo (K = 40000) is caught before it asks the GPU for gigabytes.
import { fmt } from './format';

/** Sane design bounds: big enough for any MNIST-sized experiment, small enough that a typo
 *  (K = 40000) is caught before it asks the GPU for gigabytes. */
export const LIMITS = {
  maxFilters: 4096, // K
  maxUnits: 4096, // dense units
  maxKernel: 31, // F (and FH, FW)
  maxStride: 31, // S
  maxDilation: 16,
  maxInputSize: 512, // H, W
  maxInputChannels: 64, // C of the input
  maxLayers: 64,
  maxIdLength: 64,
  maxBatch: 1024,
  maxEpochs: 100,
  maxLr: 10,
  maxSeed: 2 ** 32 - 1,
  maxSteps: 1_000_000, // warmupSteps, stepSize
} as const;

/** Layer ids: short, URL-safe, readable. */
export const LAYER_ID_PATTERN = /^[A-Za-z0-9_.:-]+$/;

/** Plain-object form of a ShapeError (Errors lose their fields through postMessage). */
export interface ShapeErrorInfo {
  /** The layer's id; 'input' for the input fields, '' for whole-network problems. */
  layerId: string;
  /** Index in spec.layers; −1 for the input, layers.length for whole-network problems. */
  layerIndex: number;
  /** The offending field when there is one ('K', 'F', 'P', 'rate', 'units', 'C', …). */
  field?: string;
  /** What is wrong, in the course's terms. */
  reason: string;
  /** A concrete change that fixes it, when one is obvious. */
  suggestion?: string;
}

/** A network that cannot be built, with where and why. */
export class ShapeError extends Error implements ShapeErrorInfo {
  readonly layerId: string;
  readonly layerIndex: number;
  readonly field?: string;
  readonly reason: string;
  readonly suggestion?: string;

  constructor(info: ShapeErrorInfo) {
    const where = info.layerIndex < 0 ? 'input' : info.layerId ? `layer ${info.layerIndex + 1} (${info.layerId})` : 'network';
    super(`${where}: ${info.reason}${info.suggestion ? `. ${info.suggestion}` : ''}`);
    this.name = 'ShapeError';
    this.layerId = info.layerId;
    this.layerIndex = info.layerIndex;
    if (info.field !== undefined) this.field = info.field;
    this.reason = info.reason;
    if (info.suggestion !== undefined) this.suggestion = info.suggestion;
  }

  toJSON(): ShapeErrorInfo {
    const o: ShapeErrorInfo = { layerId: this.layerId, layerIndex: this.layerIndex, reason: this.reason };
    if (this.field !== undefined) o.field = this.field;
    if (this.suggestion !== undefined) o.suggestion = this.suggestion;
    return o;
  }

  static from(info: ShapeErrorInfo): ShapeError {
    return new ShapeError(info);
  }
}

/** "NaN", "Infinity", "2.5", "\"3\"": how a bad value is echoed back. */
export function got(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? fmt(v) : v > 0 ? 'Infinity' : '−Infinity';
  if (v === undefined) return 'nothing';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

export function isWhole(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

