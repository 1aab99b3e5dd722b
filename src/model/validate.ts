// Why: a network that "doesn't fit" should say so the way the lecture does, "(7 − 3)/3 + 1 = 2.33,
// doesn't fit", and, when a small change fixes it, say which. Every error message in model/ is
// phrased here, so the UI, the engine and the importer all explain problems in the same words.
import {
  ACTIVATIONS,
  DATASETS,
  OPTIMIZER_KINDS,
  SCHEDULE_KINDS,
  INIT_SCHEMES,
  type InputSpec,
  type LayerSpec,
  type TrainConfig,
} from './spec';
import { dilated, fmt, windowEquation, windowOut } from './format';

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
function got(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? fmt(v) : v > 0 ? 'Infinity' : '−Infinity';
  if (v === undefined) return 'nothing';
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function isWhole(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** Field checks for the input: C, H, W whole and within LIMITS. */
export function checkInput(input: InputSpec): ShapeError[] {
  const errors: ShapeError[] = [];
  const dims: [keyof InputSpec, string, number][] = [
    ['C', 'C (input channels)', LIMITS.maxInputChannels],
    ['H', 'H (input height)', LIMITS.maxInputSize],
    ['W', 'W (input width)', LIMITS.maxInputSize],
  ];
  for (const [field, name, max] of dims) {
    const v = input[field];
    if (!isWhole(v) || v < 1 || v > max) {
      errors.push(
        new ShapeError({
          layerId: 'input',
          layerIndex: -1,
          field,
          reason: `${name} must be a whole number from 1 to ${fmt(max)}, got ${got(v)}`,
        }),
      );
    }
  }
  return errors;
}

/** Checks every field of one layer that can be judged without knowing its input shape. */
export function checkLayerFields(layer: LayerSpec, index: number): ShapeError[] {
  const errors: ShapeError[] = [];
  const fail = (field: string, reason: string, suggestion?: string) =>
    errors.push(new ShapeError({ layerId: layer.id, layerIndex: index, field, reason, ...(suggestion ? { suggestion } : {}) }));
  const whole = (field: string, name: string, v: unknown, min: number, max: number): boolean => {
    if (isWhole(v) && v >= min && v <= max) return true;
    fail(field, `${name} must be a whole number from ${fmt(min)} to ${fmt(max)}, got ${got(v)}`);
    return false;
  };
  const inRange = (field: string, name: string, v: unknown, ok: (x: number) => boolean, range: string, why = '') => {
    if (typeof v === 'number' && Number.isFinite(v) && ok(v)) return;
    fail(field, `${name} must be a number in ${range}${why}, got ${got(v)}`);
  };
  const activation = (v: unknown) => {
    if (v !== undefined && !(ACTIVATIONS as readonly unknown[]).includes(v))
      fail('activation', `activation must be one of ${ACTIVATIONS.join(', ')} (or none), got ${got(v)}`);
  };
  const bias = (v: unknown) => {
    if (typeof v !== 'boolean') fail('bias', `bias must be true or false, got ${got(v)}`);
  };

  if (typeof layer.id !== 'string' || layer.id.length === 0 || layer.id.length > LIMITS.maxIdLength || !LAYER_ID_PATTERN.test(layer.id)) {
    fail('id', `layer id must be 1–${LIMITS.maxIdLength} letters, digits or _ . : -, got ${got(layer.id)}`);
  }

  switch (layer.kind) {
    case 'conv2d': {
      whole('K', 'K (number of filters)', layer.K, 1, LIMITS.maxFilters);
      const Fs = typeof layer.F === 'number' ? [layer.F] : Array.isArray(layer.F) && layer.F.length === 2 ? layer.F : null;
      let fOk = Fs !== null;
      if (Fs === null) fail('F', `F (filter size) must be a number or [FH, FW], got ${got(layer.F)}`);
      else for (const f of Fs) fOk = whole('F', 'F (filter size)', f, 1, LIMITS.maxKernel) && fOk;
      whole('S', 'S (stride)', layer.S, 1, LIMITS.maxStride);
      const dOk = whole('dilation', 'dilation', layer.dilation, 1, LIMITS.maxDilation);
      if (layer.P !== 'same' && layer.P !== 'valid') {
        if (!isWhole(layer.P) || layer.P < 0) {
          fail('P', `P (padding) must be a whole number ≥ 0, 'same' or 'valid', got ${got(layer.P)}`);
        } else if (fOk && dOk && Fs) {
          const minF = Math.min(...Fs.map((f) => dilated(f, layer.dilation)));
          checkHalfKernel(layer.P, minF, 'filter', fail);
        }
      }
      bias(layer.bias);
      activation(layer.activation);
      break;
    }
    case 'max-pool':
    case 'avg-pool': {
      const fOk = whole('F', 'F (pool size)', layer.F, 1, LIMITS.maxKernel);
      whole('S', 'S (stride)', layer.S, 1, LIMITS.maxStride);
      if (!isWhole(layer.P) || layer.P < 0) fail('P', `P (padding) must be a whole number ≥ 0, got ${got(layer.P)}`);
      else if (fOk) checkHalfKernel(layer.P, layer.F, 'pool window', fail);
      break;
    }
    case 'global-avg-pool':
    case 'flatten':
    case 'relu':
    case 'sigmoid':
    case 'tanh':
      break;
    case 'leaky-relu':
      inRange('alpha', 'alpha (negative slope)', layer.alpha, (a) => a >= 0 && a <= 1, '[0, 1]');
      break;
    case 'batch-norm':
      inRange('momentum', 'momentum', layer.momentum, (m) => m >= 0 && m <= 1, '[0, 1]');
      inRange('epsilon', 'epsilon', layer.epsilon, (e) => e > 0 && e <= 1, '(0, 1]');
      break;
    case 'dropout':
      inRange('rate', 'dropout rate', layer.rate, (r) => r >= 0 && r < 1, '[0, 1)', ' (1 would drop every unit)');
      break;
    case 'dense':
      whole('units', 'units', layer.units, 1, LIMITS.maxUnits);
      bias(layer.bias);
      activation(layer.activation);
      break;
    default:
      fail('kind', `unknown layer kind ${got((layer as { kind: unknown }).kind)}`);
      layer satisfies never;
  }
  return errors;
}

/** PyTorch refuses P > F/2: the extra border outputs would see nothing but zeros. */
function checkHalfKernel(P: number, F: number, noun: string, fail: (field: string, reason: string, suggestion?: string) => void) {
  if (P > F / 2) {
    fail(
      'P',
      `padding P = ${fmt(P)} is more than half the ${fmt(F)}×${fmt(F)} ${noun} (F/2 = ${fmt(F / 2)}): the outermost outputs would see only zeros (PyTorch refuses this too)`,
      `use P ≤ ${fmt(Math.floor(F / 2))}`,
    );
  }
}

/** The window of a conv or pool layer, after 'same'/'valid' have been turned into numbers. */
export interface WindowGeometry {
  /** Input height and width. */
  H: number;
  W: number;
  /** Filter (or pool window) height and width, before dilation. */
  FH: number;
  FW: number;
  S: number;
  PH: number;
  PW: number;
  dilation: number;
}

type Noun = 'filter' | 'pool window';

function fits(W: number, F: number, S: number, P: number): boolean {
  const o = windowOut(W, F, S, P);
  return Number.isInteger(o) && o >= 1;
}

function describe(g: WindowGeometry, noun: Noun): string {
  const pad = g.PH === g.PW ? (g.PH > 0 ? `, padding ${fmt(g.PH)}` : '') : `, padding ${fmt(g.PH)}×${fmt(g.PW)}`;
  const dil = g.dilation > 1 ? `, dilation ${fmt(g.dilation)} (covers ${fmt(dilated(g.FH, g.dilation))}×${fmt(dilated(g.FW, g.dilation))})` : '';
  return `${fmt(g.H)}×${fmt(g.W)} input, ${fmt(g.FH)}×${fmt(g.FW)} ${noun}, stride ${fmt(g.S)}${pad}${dil}`;
}

/** "(7 − 3 + 2·1)/3 + 1 = 3", or "H: … ; W: …" when the two axes differ. */
function equations(g: WindowGeometry, PH: number, PW: number, S: number, only?: (axisFits: boolean) => boolean): string {
  const FHe = dilated(g.FH, g.dilation);
  const FWe = dilated(g.FW, g.dilation);
  if (g.H === g.W && FHe === FWe && PH === PW) return windowEquation(g.H, FHe, S, PH);
  const parts: string[] = [];
  if (!only || only(fits(g.H, FHe, S, PH))) parts.push(`H: ${windowEquation(g.H, FHe, S, PH)}`);
  if (!only || only(fits(g.W, FWe, S, PW))) parts.push(`W: ${windowEquation(g.W, FWe, S, PW)}`);
  return parts.join('; ');
}

/** Looks for the smallest change to P (within P ≤ F/2), else to S, that makes the window fit. */
export function suggestFit(g: WindowGeometry): string | undefined {
  const FHe = dilated(g.FH, g.dilation);
  const FWe = dilated(g.FW, g.dilation);
  const both = (S: number, PH: number, PW: number) => fits(g.H, FHe, S, PH) && fits(g.W, FWe, S, PW);
  const byDistance = (from: number, lo: number, hi: number) => {
    const out: number[] = [];
    for (let v = lo; v <= hi; v++) if (v !== from) out.push(v);
    return out.sort((a, b) => Math.abs(a - from) - Math.abs(b - from) || a - b);
  };
  if (g.PH === g.PW) {
    const maxP = Math.floor(Math.min(FHe, FWe) / 2);
    for (const P of byDistance(g.PH, 0, maxP)) {
      if (both(g.S, P, P)) return `padding P = ${fmt(P)} makes it fit: ${equations(g, P, P, g.S)}`;
    }
  }
  for (const S of byDistance(g.S, 1, Math.min(LIMITS.maxStride, Math.max(g.H, g.W)))) {
    if (both(S, g.PH, g.PW)) return `stride S = ${fmt(S)} makes it fit: ${equations(g, g.PH, g.PW, S)}`;
  }
  return undefined;
}

/** Checks that the window fits the (padded) input exactly: (W − F + 2P)/S + 1 must be a whole number ≥ 1. */
export function checkWindowFit(layer: LayerSpec, index: number, g: WindowGeometry, noun: Noun): ShapeError | null {
  const FHe = dilated(g.FH, g.dilation);
  const FWe = dilated(g.FW, g.dilation);
  const base = { layerId: layer.id, layerIndex: index };
  if (g.H + 2 * g.PH < FHe || g.W + 2 * g.PW < FWe) {
    const padded = g.PH > 0 || g.PW > 0 ? ` (padded: ${fmt(g.H + 2 * g.PH)}×${fmt(g.W + 2 * g.PW)})` : '';
    const suggestion =
      suggestFit(g) ??
      `use a ${noun} of at most ${fmt(g.H)}×${fmt(g.W)}, or downsample less before this layer`;
    return new ShapeError({
      ...base,
      field: 'F',
      reason: `${describe(g, noun)}: the ${fmt(FHe)}×${fmt(FWe)} ${noun} is larger than the ${fmt(g.H)}×${fmt(g.W)} input${padded}`,
      suggestion,
    });
  }
  if (fits(g.H, FHe, g.S, g.PH) && fits(g.W, FWe, g.S, g.PW)) return null;
  const eq = equations(g, g.PH, g.PW, g.S, (ok) => !ok);
  const suggestion = suggestFit(g);
  return new ShapeError({
    ...base,
    field: 'S',
    reason: `${describe(g, noun)}: ${eq}, doesn't fit`,
    ...(suggestion ? { suggestion } : {}),
  });
}

/** Total padding 'same' needs along one axis so that the output is ceil(W/S). */
function sameTotal(W: number, F: number, S: number, d: number): number {
  return (Math.ceil(W / S) - 1) * S + dilated(F, d) - W;
}

/** Resolves P = 'same' to symmetric per-axis padding, or explains why it can't be symmetric. */
export function resolveSamePadding(
  layer: LayerSpec,
  index: number,
  H: number,
  W: number,
  FH: number,
  FW: number,
  S: number,
  d: number,
): { ok: true; PH: number; PW: number } | { ok: false; error: ShapeError } {
  const tH = sameTotal(H, FH, S, d);
  const tW = sameTotal(W, FW, S, d);
  if (tH >= 0 && tW >= 0 && tH % 2 === 0 && tW % 2 === 0) return { ok: true, PH: tH / 2, PW: tW / 2 };
  const [bad, F, total, size] = tH < 0 || tH % 2 !== 0 ? (['H', FH, tH, H] as const) : (['W', FW, tW, W] as const);
  const out = Math.ceil(size / S);
  const reason =
    total < 0
      ? `'same' padding, ${fmt(F)}-wide filter, stride ${fmt(S)} on ${fmt(size)} (${bad}): ceil(${fmt(size)}/${fmt(S)}) = ${fmt(out)} outputs would need cropping ${fmt(-total)} pixel${-total === 1 ? '' : 's'}, not padding`
      : `'same' padding, ${fmt(F)}-wide filter, stride ${fmt(S)} on ${fmt(size)} (${bad}): ceil(${fmt(size)}/${fmt(S)}) = ${fmt(out)} outputs need ${fmt(total)} pixel${total === 1 ? '' : 's'} of padding, which can't be split evenly between both sides`;
  // The nearest filter size for which 'same' pads evenly on both axes. At stride 1 prefer the smaller
  // (3 for 4); with a stride prefer the larger, so the windows still overlap (4 for 3 at stride 2).
  let suggestion: string | undefined;
  for (let delta = 1; delta <= LIMITS.maxKernel && !suggestion; delta++) {
    for (const f of S > 1 ? [F + delta, F - delta] : [F - delta, F + delta]) {
      if (f < 1 || f > LIMITS.maxKernel) continue;
      const other = bad === 'H' ? tW : tH;
      const t = sameTotal(size, f, S, d);
      const square = FH === FW;
      const otherT = square ? t : other;
      if (t >= 0 && t % 2 === 0 && otherT >= 0 && otherT % 2 === 0) {
        const oddHint = S === 1 && d === 1 && F % 2 === 0 ? 'use an odd F such as ' : 'use ';
        suggestion = `${oddHint}F = ${fmt(f)}: 'same' then pads P = ${fmt(t / 2)} on each side`;
        break;
      }
    }
  }
  return {
    ok: false,
    error: new ShapeError({ layerId: layer.id, layerIndex: index, field: 'P', reason, ...(suggestion ? { suggestion } : {}) }),
  };
}

/** One problem with one TrainConfig field, for the form that edits it. */
export interface FieldIssue {
  /** Dotted path: 'batch', 'optimizer.lr', 'schedule.minLr'. */
  field: string;
  message: string;
}

/** Checks a TrainConfig; [] when it is good to train with. */
export function validateTrainConfig(cfg: TrainConfig): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (field: string, message: string) => issues.push({ field, message });
  const whole = (field: string, name: string, v: unknown, min: number, max: number) => {
    if (!isWhole(v) || v < min || v > max) add(field, `${name} must be a whole number from ${fmt(min)} to ${fmt(max)}, got ${got(v)}`);
  };
  const num = (field: string, name: string, v: unknown, ok: (x: number) => boolean, range: string, optional = true) => {
    if (v === undefined && optional) return;
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) add(field, `${name} must be a number in ${range}, got ${got(v)}`);
  };
  const oneOf = (field: string, name: string, v: unknown, options: readonly string[]) => {
    if (!options.includes(v as string)) add(field, `${name} must be one of ${options.join(', ')}, got ${got(v)}`);
  };

  oneOf('dataset', 'dataset', cfg.dataset, DATASETS);
  whole('batch', 'batch size', cfg.batch, 1, LIMITS.maxBatch);
  whole('epochs', 'epochs', cfg.epochs, 1, LIMITS.maxEpochs);
  whole('seed', 'seed', cfg.seed, 0, LIMITS.maxSeed);
  if (cfg.init !== undefined) oneOf('init', 'initialisation', cfg.init, INIT_SCHEMES);

  const o = cfg.optimizer;
  oneOf('optimizer.kind', 'optimizer', o.kind, OPTIMIZER_KINDS);
  num('optimizer.lr', 'learning rate', o.lr, (x) => x > 0 && x <= LIMITS.maxLr, `(0, ${LIMITS.maxLr}]`, false);
  num('optimizer.momentum', 'momentum', o.momentum, (x) => x >= 0 && x < 1, '[0, 1)');
  if (o.nesterov !== undefined && typeof o.nesterov !== 'boolean') add('optimizer.nesterov', `nesterov must be true or false, got ${got(o.nesterov)}`);
  else if (o.nesterov === true && o.kind === 'sgd' && !((o.momentum ?? 0) > 0))
    add('optimizer.nesterov', 'Nesterov momentum needs momentum > 0');
  num('optimizer.beta1', 'beta1', o.beta1, (x) => x >= 0 && x < 1, '[0, 1)');
  num('optimizer.beta2', 'beta2', o.beta2, (x) => x >= 0 && x < 1, '[0, 1)');
  num('optimizer.epsilon', 'epsilon', o.epsilon, (x) => x > 0 && x <= 1, '(0, 1]');
  num('optimizer.weightDecay', 'weight decay', o.weightDecay, (x) => x >= 0 && x <= 1, '[0, 1]');

  const s = cfg.schedule;
  oneOf('schedule.kind', 'schedule', s.kind, SCHEDULE_KINDS);
  if (s.warmupSteps !== undefined) whole('schedule.warmupSteps', 'warm-up steps', s.warmupSteps, 0, LIMITS.maxSteps);
  if (s.stepSize !== undefined) whole('schedule.stepSize', 'step size', s.stepSize, 1, LIMITS.maxSteps);
  num('schedule.gamma', 'gamma', s.gamma, (x) => x > 0 && x <= 1, '(0, 1]');
  num('schedule.minLr', 'minimum learning rate', s.minLr, (x) => x >= 0, '[0, lr]');
  if (typeof s.minLr === 'number' && typeof o.lr === 'number' && s.minLr > o.lr)
    add('schedule.minLr', `minimum learning rate ${fmt(s.minLr)} is above the learning rate ${fmt(o.lr)}`);
  return issues;
}
