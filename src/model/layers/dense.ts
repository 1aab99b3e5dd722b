// Why: fully connected, units·(inputs + 1) parameters; on a C×H×W input the flatten is implied
// (in = C·H·W, NCHW order) and the arithmetic says so.
import { fmt, productText, shapeText } from '../format';
import { weightInit } from '../init';
import { LIMITS } from '../shape-error';
import { CLASSES } from '../spec';
import { ACTIVATION, BIAS, BYTES_PER_F32, fusedActivation, onnxActivation, onnxFlatten, seeAll, size } from './common';
import type { LayerDef, Step } from './types';

export const dense: LayerDef<'dense'> = {
  kind: 'dense',
  info: { title: 'Dense', blurb: 'fully connected: every input to every unit', group: 'Dense' },
  defaults: () => ({ units: CLASSES, bias: true }),
  fields: [{ key: 'units', type: 'number', label: 'Units', name: 'units', whole: true, min: 1, max: LIMITS.maxUnits }, BIAS, ACTIVATION],
  formulas: (layer) => ({ params: layer.bias ? 'units·(inputs + 1)' : 'units·inputs' }),
  shape(layer, { cur, rf }) {
    const inN = size(cur);
    const implied = cur.length === 3;
    const inText = implied ? productText(cur) : fmt(inN);
    const { units } = layer;
    const params = units * (inN + (layer.bias ? 1 : 0));
    const macs = inN * units;
    seeAll(rf);
    const s: Step = {
      outShape: [units],
      macs,
      activationBytes: units * BYTES_PER_F32,
      arithmetic: {
        outSize: implied ? `flatten ${shapeText(cur)} → ${fmt(inN)}, then ${fmt(inN)} → ${fmt(units)}` : `${fmt(inN)} → ${fmt(units)}`,
        params: layer.bias ? `${fmt(units)}·(${inText} + 1) = ${fmt(params)}` : `${fmt(units)}·${inText} = ${fmt(params)}`,
        macs: `${inText}·${fmt(units)} = ${fmt(macs)}`,
      },
    };
    if (implied) s.impliedFlatten = true;
    return s;
  },
  tensors(layer, inShape, scheme) {
    const features = size(inShape);
    const init = weightInit(scheme, features, layer.units);
    return [
      { role: 'weight', shape: [layer.units, features], trainable: true, init: init.weight },
      ...(layer.bias ? [{ role: 'bias' as const, shape: [layer.units], trainable: true as const, init: init.bias }] : []),
    ];
  },
  pytorch(layer, a) {
    const features = size(a.inShape);
    const flat = a.inShape.length === 3 ? [{ suffix: '_flatten' as const, ctor: 'nn.Flatten()', shape: [features] }] : [];
    const linear = { suffix: '' as const, ctor: `nn.Linear(${features}, ${layer.units}${layer.bias ? '' : ', bias=False'})`, shape: a.outShape };
    return [...flat, linear, ...fusedActivation(layer.activation, a.outShape)];
  },
  onnx: (layer, a) => [
    ...(a.inShape.length === 3 ? [onnxFlatten('_flatten')] : []),
    { op: 'Gemm', suffix: '', inputs: ['x', 'weight', ...(layer.bias ? (['bias'] as const) : [])], attrs: [{ name: 'transB', i: 1 }] },
    ...(layer.activation ? [onnxActivation(layer.activation)] : []),
  ],
};
