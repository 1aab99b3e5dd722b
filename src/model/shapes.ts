// Why: one pass from a NetworkSpec to every number the page shows and the engine plans with: output
// shapes by W' = (W − F + 2P)/S + 1, parameter counts K·(F·F·C + 1), multiply-adds, activation memory,
// receptive fields, and the first "doesn't fit". The UI, the worker's planner and the exporters all
// read this one result, so what the learner sees is exactly what gets built.
//
// Decisions:
// - Strict fit: a fractional output size is an error (CS231n), never silently floored (PyTorch).
// - dense on a C×H×W input implies a flatten (NCHW order, in = C·H·W); the arithmetic says so.
// - global-avg-pool gives a flat vector [C]; flatten on a flat vector is a no-op.
// - macs counts multiply-adds per sample, forward: conv, dense, avg-pool/global-avg-pool (one add per
//   window element), batch-norm (one per value). max-pool, activations, dropout, flatten count 0.
// - Receptive field (per input pixel): r ← r + (F_eff − 1)·j, j ← j·S. A dense layer or global-avg-pool
//   sees the whole map: r ← r + (H − 1)·j. Padding does not change it.
import { CLASSES, type LayerKind, type LayerSpec, type NetworkSpec } from './spec';
import { fmt, shapeText } from './format';
import { checkInput, checkLayerFields, LIMITS, ShapeError } from './validate';
import { defOf, type LayerArithmetic, type RfState, type Shape, type Step } from './layers';

export type { LayerArithmetic, LayerGeometry, Shape } from './layers';

export interface ReceptiveField {
  /** Input pixels one output value depends on: [height, width]. */
  size: [number, number];
  /** Input pixels between neighbouring outputs (product of strides so far). */
  jump: number;
  /** True once one output sees at least the whole input image. */
  coversInput: boolean;
}

export interface LayerAnalysis {
  id: string;
  kind: LayerKind;
  index: number;
  /** null when an earlier layer (or the input) is broken. */
  inShape: Shape | null;
  /** null when this layer or an earlier one is broken. */
  outShape: Shape | null;
  /** Trainable parameters. */
  params: number;
  /** Non-trainable state (batch-norm running mean and variance). */
  stateCount: number;
  /** Multiply-adds per sample, forward pass. */
  macs: number;
  /** Bytes of this layer's f32 output per sample. */
  activationBytes: number;
  receptiveField: ReceptiveField | null;
  arithmetic: LayerArithmetic;
  /** What a fully connected layer from this layer's input size to its output size would cost: in·out + out. */
  denseEquivalentParams: number;
  /** The same without the bias: in·out. */
  denseEquivalentWeights: number;
  /** conv2d and pools: resolved F, S, P and the output size. */
  geometry?: Step['geometry'];
  /** dense on a C×H×W input: the flatten is implied. */
  impliedFlatten?: boolean;
  /** A grouped conv: what a plain conv (groups = 1) with the same K and F would cost here. */
  plainConv?: Step['plainConv'];
  /** This layer's first problem. The "missing loss/output" error sits on the last layer, whose
   *  outShape is still known; every other error leaves outShape null. */
  error?: ShapeError;
}

export interface NetworkTotals {
  params: number;
  stateCount: number;
  macs: number;
  /** Sum of every layer's output per sample (what a forward pass keeps for backward). */
  activationBytes: number;
}

export interface NetworkAnalysis {
  ok: boolean;
  input: Shape;
  /** The last layer's output (the class scores when ok). */
  output: Shape | null;
  layers: LayerAnalysis[];
  totals: NetworkTotals;
  /** Every problem found, input first, then in layer order. */
  errors: ShapeError[];
  /** errors[0]. */
  error?: ShapeError;
}

const NA: LayerArithmetic = { outSize: '—', params: '—', macs: '—' };

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Maps a spec to shapes, counts and errors. Never throws on bad numbers: they become errors. */
export function analyzeNetwork(spec: NetworkSpec): NetworkAnalysis {
  const { C, H, W } = spec.input;
  const input: Shape = [C, H, W];
  const errors: ShapeError[] = checkInput(spec.input);
  const n = spec.layers.length;
  const netError = (reason: string, suggestion?: string, field = 'layers') =>
    new ShapeError({ layerId: '', layerIndex: n, field, reason, ...(suggestion ? { suggestion } : {}) });

  if (n === 0) errors.push(netError('empty network: there are no layers', `add at least a dense layer with ${CLASSES} units`));
  if (n > LIMITS.maxLayers) errors.push(netError(`too many layers: ${fmt(n)} (at most ${LIMITS.maxLayers})`));

  let cur = (errors.some((e) => e.layerIndex < 0) ? null : input) as Shape | null;
  const rf: RfState = { r: [1, 1], j: 1, map: [H, W] };
  const seen = new Set<string>();
  const layers: LayerAnalysis[] = [];

  spec.layers.forEach((layer, index) => {
    const fieldErrors = checkLayerFields(layer, index);
    const dup = seen.has(layer.id);
    seen.add(layer.id);
    const entry: LayerAnalysis = {
      id: layer.id,
      kind: layer.kind,
      index,
      inShape: cur,
      outShape: null,
      params: 0,
      stateCount: 0,
      macs: 0,
      activationBytes: 0,
      receptiveField: null,
      arithmetic: NA,
      denseEquivalentParams: 0,
      denseEquivalentWeights: 0,
    };
    let error: ShapeError | undefined = fieldErrors[0];
    if (!error && cur) {
      const r = defOf(layer).shape(layer, { index, cur, rf });
      if (r instanceof ShapeError) error = r;
      else {
        Object.assign(entry, r);
        // Parameter counts derive from the tensors the layer declares (what the engine allocates).
        for (const t of defOf(layer).tensors(layer, cur, 'pytorch')) {
          const n = size(t.shape);
          if (t.trainable) entry.params += n;
          else entry.stateCount += n;
        }
        const inN = size(cur);
        const outN = size(r.outShape);
        entry.denseEquivalentWeights = inN * outN;
        entry.denseEquivalentParams = inN * outN + outN;
        entry.receptiveField = {
          size: [rf.r[0], rf.r[1]],
          jump: rf.j,
          coversInput: rf.r[0] >= H && rf.r[1] >= W,
        };
      }
    }
    errors.push(...fieldErrors);
    if (error) {
      if (!fieldErrors.includes(error)) errors.push(error);
      entry.error = error;
      entry.outShape = null;
      cur = null;
    } else {
      cur = entry.outShape;
    }
    if (dup) {
      const e = new ShapeError({
        layerId: layer.id,
        layerIndex: index,
        field: 'id',
        reason: `two layers share the id "${layer.id}"`,
        suggestion: 'give every layer its own id',
      });
      errors.push(e);
      entry.error ??= e;
    }
    layers.push(entry);
  });

  if (cur && n > 0 && !(cur.length === 1 && cur[0] === CLASSES)) {
    const last = spec.layers[n - 1]!;
    const e = new ShapeError({
      layerId: last.id,
      layerIndex: n - 1,
      reason: `missing loss/output: the last layer must give ${CLASSES} class scores`,
      suggestion: outputSuggestion(last, cur),
    });
    errors.push(e);
    layers[n - 1]!.error ??= e;
  }

  const totals: NetworkTotals = { params: 0, stateCount: 0, macs: 0, activationBytes: 0 };
  for (const l of layers) {
    totals.params += l.params;
    totals.stateCount += l.stateCount;
    totals.macs += l.macs;
    totals.activationBytes += l.activationBytes;
  }
  const result: NetworkAnalysis = { ok: errors.length === 0, input, output: cur, layers, totals, errors };
  if (errors[0]) result.error = errors[0];
  return result;
}

function outputSuggestion(last: LayerSpec, out: Shape): string {
  const gives = `it gives ${shapeText(out)}`;
  if (last.kind === 'dense') return `${gives}; set units to ${CLASSES} (the softmax cross-entropy loss follows it)`;
  if (out.length === 3) return `${gives}; end with a dense layer of ${CLASSES} units (or a ${CLASSES}-filter conv and global-avg-pool)`;
  return `${gives}; add a dense layer of ${CLASSES} units at the end`;
}

/** Every problem with a spec (empty when it can be built and trained). */
export function validateNetwork(spec: NetworkSpec): ShapeError[] {
  return analyzeNetwork(spec).errors;
}
