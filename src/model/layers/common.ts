// Why: the pieces several layer kinds share: the same-shape step of element-wise layers, the
// "needs a feature map" error, the window equation text, fused activations, Python literals.
import { dilated, fmt, shapeText, windowEquation } from '../format';
import { ShapeError } from '../shape-error';
import { FUSED_LEAKY_RELU_ALPHA, type Activation, type LayerSpec } from '../spec';
import type { WindowGeometry } from '../window-fit';
import type { FieldDef, OnnxNode, RfState, Shape, Step, StepAt } from './types';

export const BYTES_PER_F32 = 4;

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** An element-wise layer: same shape out, no weights. */
export function sameShape(at: StepAt, macs = 0): Step {
  return {
    outShape: at.cur,
    macs,
    activationBytes: size(at.cur) * BYTES_PER_F32,
    arithmetic: { outSize: `same as input: ${shapeText(at.cur)}`, params: '0 (no weights)', macs: '0' },
  };
}

/** An error unless the input is a C×H×W map. */
export function needsMap(layer: LayerSpec, at: StepAt): ShapeError | null {
  if (at.cur.length === 3) return null;
  return new ShapeError({
    layerId: layer.id,
    layerIndex: at.index,
    reason: `${layer.kind} needs a C×H×W feature map, but its input is a flat vector of ${fmt(at.cur[0])} features`,
    suggestion: 'move it before the flatten/dense layers',
  });
}

export function windowSizeText(g: WindowGeometry, prefix: string): string {
  const FHe = dilated(g.FH, g.dilation);
  const FWe = dilated(g.FW, g.dilation);
  if (g.H === g.W && FHe === FWe && g.PH === g.PW) return `${prefix}${windowEquation(g.H, FHe, g.S, g.PH)}`;
  return `${prefix}H: ${windowEquation(g.H, FHe, g.S, g.PH)}; W: ${windowEquation(g.W, FWe, g.S, g.PW)}`;
}

/** A layer whose every output sees the whole current map (dense, global-avg-pool). */
export function seeAll(rf: RfState): void {
  rf.r = [rf.r[0] + (rf.map[0] - 1) * rf.j, rf.r[1] + (rf.map[1] - 1) * rf.j];
  rf.map = [1, 1];
}

/** A window of FHe×FWe effective pixels at stride S. */
export function seeWindow(rf: RfState, FHe: number, FWe: number, S: number, OH: number, OW: number): void {
  rf.r = [rf.r[0] + (FHe - 1) * rf.j, rf.r[1] + (FWe - 1) * rf.j];
  rf.j *= S;
  rf.map = [OH, OW];
}

/** A JS number as a Python float literal that reads back as the same double. */
export function pyFloat(x: number): string {
  const s = String(x);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

export function activationCtor(act: Activation): string {
  switch (act) {
    case 'relu':
      return 'nn.ReLU()';
    case 'leaky-relu':
      return `nn.LeakyReLU(negative_slope=${pyFloat(FUSED_LEAKY_RELU_ALPHA)})`;
    case 'sigmoid':
      return 'nn.Sigmoid()';
    case 'tanh':
      return 'nn.Tanh()';
    default:
      return act satisfies never;
  }
}

/** A layer's fused activation as a module after it. */
export function fusedActivation(act: Activation | undefined, shape: Shape) {
  return act ? [{ suffix: '_act' as const, ctor: activationCtor(act), shape }] : [];
}

export const BIAS: FieldDef = { key: 'bias', type: 'bool' };
export const ACTIVATION: FieldDef = { key: 'activation', type: 'activation' };

/** An activation as an ONNX node: a layer's own (`suffix` '') or a fused one ('_act'). */
export function onnxActivation(act: Activation, suffix: '' | '_act' = '_act', alpha = FUSED_LEAKY_RELU_ALPHA): OnnxNode {
  switch (act) {
    case 'relu':
      return { op: 'Relu', suffix, inputs: ['x'] };
    case 'leaky-relu':
      return { op: 'LeakyRelu', suffix, inputs: ['x'], attrs: [{ name: 'alpha', f: alpha }] };
    case 'sigmoid':
      return { op: 'Sigmoid', suffix, inputs: ['x'] };
    case 'tanh':
      return { op: 'Tanh', suffix, inputs: ['x'] };
    default:
      return act satisfies never;
  }
}

export const onnxFlatten = (suffix: '' | '_flatten'): OnnxNode => ({ op: 'Flatten', suffix, inputs: ['x'], attrs: [{ name: 'axis', i: 1 }] });
