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
import { classesOf, type LayerItem, type LayerKind, type LayerSpec, type NetworkSpec, type ResidualBlock } from './spec';
import { checkBlockFields, checkSum, countItems, isBlock, projectionLayer, projectionNumbers } from './residual';
import { fmt, shapeText } from './format';
import { checkInput, checkLayerFields, LIMITS, ShapeError } from './validate';
import { BYTES_PER_F32 } from './layers/common';
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

/** A residual block: what goes in, what each branch gives, what the sum gives. */
export interface BlockAnalysis {
  id: string;
  /** 0 for a block in the network's list, 1 inside another block's body, … */
  depth: number;
  /** Its layers are layers[first .. end) (body, then the projection shortcut if any). */
  first: number;
  end: number;
  inShape: Shape | null;
  bodyOut: Shape | null;
  shortcutOut: Shape | null;
  /** The sum's shape (null when the branches don't match or something before is broken). */
  outShape: Shape | null;
  /** Trainable parameters inside the block (body and projection). */
  params: number;
  /** Bytes per sample of the sum (and of the ReLU after it). */
  activationBytes: number;
  /** The block's first problem of its own (fields, or a sum whose shapes differ). */
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
  /** Every layer in forward order, depth first; a projection shortcut follows its block's body. */
  layers: LayerAnalysis[];
  /** The layer each entry of `layers` analyses (projection shortcuts as synthetic 1×1 conv2d layers). */
  leaves: LayerSpec[];
  /** Residual blocks, in the order they start. */
  blocks: BlockAnalysis[];
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
  const CLASSES = classesOf(spec);
  const input: Shape = [C, H, W];
  const errors: ShapeError[] = checkInput(spec.input);
  const n = countItems(spec.layers);
  const netError = (reason: string, suggestion?: string, field = 'layers') =>
    new ShapeError({ layerId: '', layerIndex: n, field, reason, ...(suggestion ? { suggestion } : {}) });

  if (!(Number.isInteger(CLASSES) && CLASSES >= 2 && CLASSES <= 100)) errors.push(netError(`${CLASSES} classes: a network classifies into 2 to 100 classes`, undefined, 'classes'));
  if (n === 0) errors.push(netError('empty network: there are no layers', `add at least a dense layer with ${CLASSES} units`));
  if (n > LIMITS.maxLayers) errors.push(netError(`too many layers: ${fmt(n)} (at most ${LIMITS.maxLayers})`));

  let cur = (errors.some((e) => e.layerIndex < 0) ? null : input) as Shape | null;
  const rf: RfState = { r: [1, 1], j: 1, map: [H, W] };
  const seen = new Set<string>();
  const layers: LayerAnalysis[] = [];
  const leaves: LayerSpec[] = [];
  const blocks: BlockAnalysis[] = [];
  const duplicate = (id: string, index: number): ShapeError | undefined => {
    const dup = seen.has(id);
    seen.add(id);
    if (!dup) return undefined;
    const e = new ShapeError({ layerId: id, layerIndex: index, field: 'id', reason: `two layers share the id "${id}"`, suggestion: 'give every layer its own id' });
    errors.push(e);
    return e;
  };

  const visitLeaf = (layer: LayerSpec, x: Shape | null, numbers?: (x: Shape) => Step | ShapeError): Shape | null => {
    const index = layers.length;
    const fieldErrors = numbers ? [] : checkLayerFields(layer, index);
    const entry: LayerAnalysis = {
      id: layer.id,
      kind: layer.kind,
      index,
      inShape: x,
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
    if (!error && x) {
      const r = numbers ? numbers(x) : defOf(layer).shape(layer, { index, cur: x, rf });
      if (r instanceof ShapeError) error = r;
      else {
        Object.assign(entry, r);
        // Parameter counts derive from the tensors the layer declares (what the engine allocates).
        for (const t of defOf(layer).tensors(layer, x, 'pytorch')) {
          const n = size(t.shape);
          if (t.trainable) entry.params += n;
          else entry.stateCount += n;
        }
        const inN = size(x);
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
    }
    const dup = duplicate(layer.id, index);
    if (dup) entry.error ??= dup;
    layers.push(entry);
    leaves.push(layer);
    return entry.error && entry.error !== dup ? null : entry.outShape;
  };

  const visitBlock = (block: ResidualBlock, x: Shape | null, depth: number): Shape | null => {
    const index = layers.length;
    const fieldErrors = checkBlockFields(block, index);
    errors.push(...fieldErrors);
    const dupError = duplicate(block.id, index);
    const bodyOut = Array.isArray(block.body) ? walk(block.body, x, depth + 1) : null;
    let shortcutOut: Shape | null = x;
    if (block.shortcut === 'projection') {
      const K = bodyOut && bodyOut.length === 3 ? bodyOut[0] : (x?.[0] ?? 1);
      const numbers = (sx: Shape): Step | ShapeError => {
        const bad = needsMap(block, index, sx);
        if (bad) return bad;
        const p = projectionNumbers(block, sx as [number, number, number], K);
        // Its parameters are counted from its tensors, as every layer's.
        return { outShape: p.outShape, macs: p.macs, arithmetic: p.arithmetic, geometry: p.geometry, activationBytes: size(p.outShape) * BYTES_PER_F32 };
      };
      shortcutOut = fieldErrors.length ? null : visitLeaf(projectionLayer(block, K), x, numbers);
    }
    const analysis: BlockAnalysis = { id: block.id, depth, first: index, end: layers.length, inShape: x, bodyOut, shortcutOut, outShape: null, params: 0, activationBytes: 0 };
    for (let i = index; i < layers.length; i++) analysis.params += layers[i]!.params;
    let error: ShapeError | undefined = fieldErrors[0] ?? dupError;
    if (!error && x && bodyOut && shortcutOut) {
      const sumError = checkSum(block, index, x, bodyOut, shortcutOut);
      if (sumError) {
        errors.push(sumError);
        error = sumError;
      } else {
        analysis.outShape = bodyOut;
        analysis.activationBytes = size(bodyOut) * BYTES_PER_F32 * (block.relu ? 2 : 1);
      }
    }
    if (error) analysis.error = error;
    blocks.push(analysis);
    return analysis.outShape;
  };

  const walk = (items: readonly LayerItem[], x: Shape | null, depth: number): Shape | null => {
    let y = x;
    for (const item of items) y = isBlock(item) ? visitBlock(item, y, depth) : visitLeaf(item, y);
    return y;
  };
  cur = walk(spec.layers, cur, 0);
  blocks.sort((a, b) => a.first - b.first || a.depth - b.depth);

  const last = spec.layers[spec.layers.length - 1];
  if (cur && last && layers.length > 0 && !(cur.length === 1 && cur[0] === CLASSES)) {
    const e = new ShapeError({
      layerId: last.id,
      layerIndex: layers.length - 1,
      reason: `missing loss/output: the last layer must give ${CLASSES} class scores`,
      suggestion: outputSuggestion(last, cur, CLASSES),
    });
    errors.push(e);
    layers[layers.length - 1]!.error ??= e;
  }

  const totals: NetworkTotals = { params: 0, stateCount: 0, macs: 0, activationBytes: 0 };
  for (const l of layers) {
    totals.params += l.params;
    totals.stateCount += l.stateCount;
    totals.macs += l.macs;
    totals.activationBytes += l.activationBytes;
  }
  for (const b of blocks) totals.activationBytes += b.activationBytes;
  const result: NetworkAnalysis = { ok: errors.length === 0, input, output: cur, layers, leaves, blocks, totals, errors };
  if (errors[0]) result.error = errors[0];
  return result;
}

function outputSuggestion(last: LayerItem, out: Shape, CLASSES: number): string {
  const gives = `it gives ${shapeText(out)}`;
  if (last.kind === 'dense') return `${gives}; set units to ${CLASSES} (the softmax cross-entropy loss follows it)`;
  if (out.length === 3) return `${gives}; end with a dense layer of ${CLASSES} units (or a ${CLASSES}-filter conv and global-avg-pool)`;
  return `${gives}; add a dense layer of ${CLASSES} units at the end`;
}

/** A block's projection shortcut needs a C×H×W map (a body that flattens cannot be summed). */
function needsMap(block: ResidualBlock, index: number, cur: Shape): ShapeError | null {
  if (cur.length === 3) return null;
  return new ShapeError({
    layerId: block.id,
    layerIndex: index,
    reason: `${block.kind} needs a C×H×W feature map, but its input is a flat vector of ${fmt(cur[0])} features`,
    suggestion: 'move it before the flatten/dense layers',
  });
}

/** Every problem with a spec (empty when it can be built and trained). */
export function validateNetwork(spec: NetworkSpec): ShapeError[] {
  return analyzeNetwork(spec).errors;
}
