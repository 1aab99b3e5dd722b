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
import { classesOf, kernelHW, type LayerKind, type LayerSpec, type NetworkSpec } from './spec';
import { dilated, fmt, productText, shapeText, windowEquation, windowOut } from './format';
import {
  checkInput,
  checkLayerFields,
  checkWindowFit,
  LIMITS,
  resolveSamePadding,
  ShapeError,
  type WindowGeometry,
} from './validate';

/** [C, H, W] for feature maps, [features] for flat vectors (one sample; the batch N is implicit). */
export type Shape = [number, number, number] | [number];

export interface ReceptiveField {
  /** Input pixels one output value depends on: [height, width]. */
  size: [number, number];
  /** Input pixels between neighbouring outputs (product of strides so far). */
  jump: number;
  /** True once one output sees at least the whole input image. */
  coversInput: boolean;
}

/** The numbers a conv or pool kernel runs with ('same'/'valid' resolved), plus its output size. */
export interface LayerGeometry extends WindowGeometry {
  OH: number;
  OW: number;
}

export interface LayerArithmetic {
  /** "(28 − 3 + 2·1)/1 + 1 = 28" */
  outSize: string;
  /** "32·(3·3·1 + 1) = 320" */
  params: string;
  /** "28·28·32·(3·3·1) = 225,792" */
  macs: string;
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
  geometry?: LayerGeometry;
  /** dense on a C×H×W input: the flatten is implied. */
  impliedFlatten?: boolean;
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

const BYTES_PER_F32 = 4;
const NA: LayerArithmetic = { outSize: '—', params: '—', macs: '—' };

function size(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

interface RfState {
  r: [number, number];
  j: number;
  /** Spatial size of the current map ([1, 1] once everything has been pooled or densely mixed). */
  map: [number, number];
}

type Step = Omit<LayerAnalysis, 'id' | 'kind' | 'index' | 'inShape' | 'receptiveField' | 'denseEquivalentParams' | 'denseEquivalentWeights' | 'error'> & {
  outShape: Shape;
};

/** Maps a spec to shapes, counts and errors. Never throws on bad numbers: they become errors. */
export function analyzeNetwork(spec: NetworkSpec): NetworkAnalysis {
  const { C, H, W } = spec.input;
  const CLASSES = classesOf(spec);
  const input: Shape = [C, H, W];
  const errors: ShapeError[] = checkInput(spec.input);
  const n = spec.layers.length;
  const netError = (reason: string, suggestion?: string, field = 'layers') =>
    new ShapeError({ layerId: '', layerIndex: n, field, reason, ...(suggestion ? { suggestion } : {}) });

  if (!(Number.isInteger(CLASSES) && CLASSES >= 2 && CLASSES <= 100)) errors.push(netError(`${CLASSES} classes: a network classifies into 2 to 100 classes`, undefined, 'classes'));
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
      const r = step(layer, index, cur, rf);
      if (r instanceof ShapeError) error = r;
      else {
        Object.assign(entry, r);
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
      suggestion: outputSuggestion(last, cur, CLASSES),
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

function outputSuggestion(last: LayerSpec, out: Shape, CLASSES: number): string {
  const gives = `it gives ${shapeText(out)}`;
  if (last.kind === 'dense') return `${gives}; set units to ${CLASSES} (the softmax cross-entropy loss follows it)`;
  if (out.length === 3) return `${gives}; end with a dense layer of ${CLASSES} units (or a ${CLASSES}-filter conv and global-avg-pool)`;
  return `${gives}; add a dense layer of ${CLASSES} units at the end`;
}

/** "28×28". */
function hw(H: number, W: number): string {
  return `${fmt(H)}×${fmt(W)}`;
}

function needsMap(layer: LayerSpec, index: number, cur: Shape): ShapeError | null {
  if (cur.length === 3) return null;
  return new ShapeError({
    layerId: layer.id,
    layerIndex: index,
    reason: `${layer.kind} needs a C×H×W feature map, but its input is a flat vector of ${fmt(cur[0])} features`,
    suggestion: 'move it before the flatten/dense layers',
  });
}

function windowSizeText(g: WindowGeometry, prefix: string): string {
  const FHe = dilated(g.FH, g.dilation);
  const FWe = dilated(g.FW, g.dilation);
  if (g.H === g.W && FHe === FWe && g.PH === g.PW) return `${prefix}${windowEquation(g.H, FHe, g.S, g.PH)}`;
  return `${prefix}H: ${windowEquation(g.H, FHe, g.S, g.PH)}; W: ${windowEquation(g.W, FWe, g.S, g.PW)}`;
}

function step(layer: LayerSpec, index: number, cur: Shape, rf: RfState): Step | ShapeError {
  const same = (params = 0, macs = 0): Step => ({
    outShape: cur,
    params,
    stateCount: 0,
    macs,
    activationBytes: size(cur) * BYTES_PER_F32,
    arithmetic: { outSize: `same as input: ${shapeText(cur)}`, params: '0 (no weights)', macs: '0' },
  });

  switch (layer.kind) {
    case 'conv2d': {
      const bad = needsMap(layer, index, cur);
      if (bad) return bad;
      const [C, H, W] = cur as [number, number, number];
      const [FH, FW] = kernelHW(layer.F);
      const { S, dilation: d, K } = layer;
      let PH: number;
      let PW: number;
      let prefix = '';
      if (layer.P === 'same') {
        const r = resolveSamePadding(layer, index, H, W, FH, FW, S, d);
        if (!r.ok) return r.error;
        ({ PH, PW } = r);
        prefix = PH === PW ? `'same': P = ${fmt(PH)}; ` : `'same': P = ${fmt(PH)}×${fmt(PW)}; `;
      } else if (layer.P === 'valid') {
        PH = PW = 0;
        prefix = `'valid': P = 0; `;
      } else {
        PH = PW = layer.P;
      }
      const g: WindowGeometry = { H, W, FH, FW, S, PH, PW, dilation: d };
      const err = checkWindowFit(layer, index, g, 'filter');
      if (err) return err;
      const FHe = dilated(FH, d);
      const FWe = dilated(FW, d);
      if (d > 1) {
        prefix =
          (FH === FW
            ? `F' = (${fmt(FH)} − 1)·${fmt(d)} + 1 = ${fmt(FHe)}; `
            : `F' = (${fmt(FH)} − 1)·${fmt(d)} + 1 = ${fmt(FHe)} × (${fmt(FW)} − 1)·${fmt(d)} + 1 = ${fmt(FWe)}; `) + prefix;
      }
      const OH = windowOut(H, FHe, S, PH);
      const OW = windowOut(W, FWe, S, PW);
      const fan = FH * FW * C;
      const params = K * (fan + (layer.bias ? 1 : 0));
      const macs = OH * OW * K * fan;
      const fanText = productText([FH, FW, C]);
      rf.r = [rf.r[0] + (FHe - 1) * rf.j, rf.r[1] + (FWe - 1) * rf.j];
      rf.j *= S;
      rf.map = [OH, OW];
      const outShape: Shape = [K, OH, OW];
      return {
        outShape,
        params,
        stateCount: 0,
        macs,
        activationBytes: size(outShape) * BYTES_PER_F32,
        arithmetic: {
          outSize: windowSizeText(g, prefix),
          params: layer.bias ? `${fmt(K)}·(${fanText} + 1) = ${fmt(params)}` : `${fmt(K)}·(${fanText}) = ${fmt(params)}`,
          macs: `${productText([OH, OW, K])}·(${fanText}) = ${fmt(macs)}`,
        },
        geometry: { ...g, OH, OW },
      };
    }
    case 'max-pool':
    case 'avg-pool': {
      const bad = needsMap(layer, index, cur);
      if (bad) return bad;
      const [C, H, W] = cur as [number, number, number];
      const { F, S, P } = layer;
      const g: WindowGeometry = { H, W, FH: F, FW: F, S, PH: P, PW: P, dilation: 1 };
      const err = checkWindowFit(layer, index, g, 'pool window');
      if (err) return err;
      const OH = windowOut(H, F, S, P);
      const OW = windowOut(W, F, S, P);
      const avg = layer.kind === 'avg-pool';
      const macs = avg ? OH * OW * C * F * F : 0;
      rf.r = [rf.r[0] + (F - 1) * rf.j, rf.r[1] + (F - 1) * rf.j];
      rf.j *= S;
      rf.map = [OH, OW];
      const outShape: Shape = [C, OH, OW];
      return {
        outShape,
        params: 0,
        stateCount: 0,
        macs,
        activationBytes: size(outShape) * BYTES_PER_F32,
        arithmetic: {
          outSize: windowSizeText(g, ''),
          params: '0 (no weights)',
          macs: avg ? `${productText([OH, OW, C])}·(${productText([F, F])}) = ${fmt(macs)}` : '0 (comparisons only)',
        },
        geometry: { ...g, OH, OW },
      };
    }
    case 'global-avg-pool': {
      const bad = needsMap(layer, index, cur);
      if (bad) return bad;
      const [C, H, W] = cur as [number, number, number];
      seeAll(rf);
      const macs = C * H * W;
      return {
        outShape: [C],
        params: 0,
        stateCount: 0,
        macs,
        activationBytes: C * BYTES_PER_F32,
        arithmetic: {
          outSize: `mean over each ${hw(H, W)} map: ${shapeText(cur)} → ${fmt(C)}`,
          params: '0 (no weights)',
          macs: `${productText(cur)} = ${fmt(macs)}`,
        },
      };
    }
    case 'flatten': {
      const features = size(cur);
      return {
        outShape: [features],
        params: 0,
        stateCount: 0,
        macs: 0,
        activationBytes: features * BYTES_PER_F32,
        arithmetic: {
          outSize: cur.length === 3 ? `${productText(cur)} = ${fmt(features)}` : `already flat: ${fmt(features)}`,
          params: '0 (no weights)',
          macs: '0',
        },
      };
    }
    case 'relu':
    case 'sigmoid':
    case 'tanh':
    case 'leaky-relu':
    case 'dropout':
      return same();
    case 'batch-norm': {
      const C = cur[0];
      const values = size(cur);
      const s = same(2 * C, values);
      s.stateCount = 2 * C;
      s.arithmetic = {
        outSize: s.arithmetic.outSize,
        params: `2·${fmt(C)} = ${fmt(2 * C)} (γ, β; plus ${fmt(2 * C)} running mean/variance, not trained)`,
        macs: `${productText(cur)} = ${fmt(values)}`,
      };
      return s;
    }
    case 'dense': {
      const inN = size(cur);
      const implied = cur.length === 3;
      const inText = implied ? productText(cur) : fmt(inN);
      const { units } = layer;
      const params = units * (inN + (layer.bias ? 1 : 0));
      const macs = inN * units;
      seeAll(rf);
      const s: Step = {
        outShape: [units],
        params,
        stateCount: 0,
        macs,
        activationBytes: units * BYTES_PER_F32,
        arithmetic: {
          outSize: implied
            ? `flatten ${shapeText(cur)} → ${fmt(inN)}, then ${fmt(inN)} → ${fmt(units)}`
            : `${fmt(inN)} → ${fmt(units)}`,
          params: layer.bias ? `${fmt(units)}·(${inText} + 1) = ${fmt(params)}` : `${fmt(units)}·${inText} = ${fmt(params)}`,
          macs: `${inText}·${fmt(units)} = ${fmt(macs)}`,
        },
      };
      if (implied) s.impliedFlatten = true;
      return s;
    }
    default:
      return layer satisfies never;
  }
}

/** A layer whose every output sees the whole current map (dense, global-avg-pool). */
function seeAll(rf: RfState): void {
  rf.r = [rf.r[0] + (rf.map[0] - 1) * rf.j, rf.r[1] + (rf.map[1] - 1) * rf.j];
  rf.map = [1, 1];
}

/** Every problem with a spec (empty when it can be built and trained). */
export function validateNetwork(spec: NetworkSpec): ShapeError[] {
  return analyzeNetwork(spec).errors;
}
