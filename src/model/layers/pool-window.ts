// Why: max-pool and avg-pool share their fields, their fit check and W′ = (W − F + 2P)/S + 1; they
// differ in what a window gives (and so in multiply-adds) and in their PyTorch module.
import { fmt, productText, windowOut } from '../format';
import { LIMITS } from '../shape-error';
import { checkHalfKernel, checkWindowFit, type WindowGeometry } from '../window-fit';
import type { AvgPoolLayer, MaxPoolLayer } from '../spec';
import { BYTES_PER_F32, needsMap, seeWindow, windowSizeText } from './common';
import type { FailFn, FieldDef, OnnxAttr, Shape, Step, StepAt } from './types';
import type { ShapeError } from '../shape-error';

type PoolLayer = MaxPoolLayer | AvgPoolLayer;

export const POOL_FIELDS: readonly FieldDef[] = [
  { key: 'F', type: 'number', label: 'Window F', name: 'F (pool size)', whole: true, min: 1, max: LIMITS.maxKernel },
  { key: 'S', type: 'number', label: 'Stride S', name: 'S (stride)', whole: true, min: 1, max: LIMITS.maxStride },
  { key: 'P', type: 'number', label: 'Padding P', name: 'P (padding)', whole: true, min: 0, max: LIMITS.maxKernel },
];

export const poolDefaults = () => ({ F: 2, S: 2, P: 0 });

export function checkPoolFields(layer: PoolLayer, fail: FailFn, bad: ReadonlySet<string>): void {
  if (!bad.has('P') && !bad.has('F')) checkHalfKernel(layer.P, layer.F, 'pool window', fail);
}

export function poolShape(layer: PoolLayer, at: StepAt): Step | ShapeError {
  const bad = needsMap(layer, at);
  if (bad) return bad;
  const [C, H, W] = at.cur as [number, number, number];
  const { F, S, P } = layer;
  const g: WindowGeometry = { H, W, FH: F, FW: F, S, PH: P, PW: P, dilation: 1 };
  const err = checkWindowFit(layer, at.index, g, 'pool window');
  if (err) return err;
  const OH = windowOut(H, F, S, P);
  const OW = windowOut(W, F, S, P);
  const avg = layer.kind === 'avg-pool';
  const macs = avg ? OH * OW * C * F * F : 0;
  seeWindow(at.rf, F, F, S, OH, OW);
  const outShape: Shape = [C, OH, OW];
  return {
    outShape,
    macs,
    activationBytes: C * OH * OW * BYTES_PER_F32,
    arithmetic: {
      outSize: windowSizeText(g, ''),
      params: '0 (no weights)',
      macs: avg ? `${productText([OH, OW, C])}·(${productText([F, F])}) = ${fmt(macs)}` : '0 (comparisons only)',
    },
    geometry: { ...g, OH, OW },
  };
}

export const poolAttrs = (l: PoolLayer): OnnxAttr[] => [
  { name: 'kernel_shape', ints: [l.F, l.F] },
  { name: 'strides', ints: [l.S, l.S] },
  { name: 'pads', ints: [l.P, l.P, l.P, l.P] },
];
