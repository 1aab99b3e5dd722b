// Why: the convolution layer, as the lecture writes it: K filters of F×F (or FH×FW) over all C input
// channels, stride S, padding P (a number, 'same' or 'valid'), dilation; W′ = (W − F + 2P)/S + 1 and
// K·(F·F·C + 1) parameters. With groups G each filter sees only C/G channels: K·(F·F·C/G + 1)
// parameters and G times fewer multiply-adds (G = C: depthwise, the first half of a
// depthwise-separable convolution, whose second half is a 1×1 conv).
import { dilated, fmt, productText, windowOut } from '../format';
import { weightInit } from '../init';
import { LIMITS, ShapeError } from '../shape-error';
import { kernelHW, type Conv2dLayer } from '../spec';
import { checkHalfKernel, checkWindowFit, resolveSamePadding, type WindowGeometry } from '../window-fit';
import { ACTIVATION, BIAS, BYTES_PER_F32, fusedActivation, needsMap, onnxActivation, seeWindow, windowSizeText } from './common';
import type { LayerDef, OnnxNode, Shape } from './types';

export const conv2d: LayerDef<'conv2d'> = {
  kind: 'conv2d',
  info: { title: 'Convolution', blurb: 'K filters of F×F, stride S, padding P', group: 'Convolution' },
  defaults: () => ({ K: 16, F: 3, S: 1, P: 1, dilation: 1, bias: true, activation: 'relu' }),
  fields: [
    { key: 'K', type: 'number', label: 'Filters K', name: 'K (number of filters)', whole: true, min: 1, max: LIMITS.maxFilters },
    { key: 'F', type: 'number', label: 'Kernel F', name: 'F (filter size)', whole: true, min: 1, max: LIMITS.maxKernel, pair: true },
    { key: 'S', type: 'number', label: 'Stride S', name: 'S (stride)', whole: true, min: 1, max: LIMITS.maxStride },
    { key: 'P', type: 'number', label: 'Padding P', name: 'P (padding)', whole: true, min: 0, max: LIMITS.maxKernel, words: ['same', 'valid'] },
    { key: 'dilation', type: 'number', label: 'Dilation', name: 'dilation', whole: true, min: 1, max: LIMITS.maxDilation },
    { key: 'groups', type: 'number', label: 'Groups G', name: 'groups', whole: true, min: 1, max: LIMITS.maxFilters, absent: 1 },
    BIAS,
    ACTIVATION,
  ],
  checkFields(layer, fail, bad) {
    if (typeof layer.P !== 'number' || bad.has('P') || bad.has('F') || bad.has('dilation')) return;
    const [FH, FW] = kernelHW(layer.F);
    checkHalfKernel(layer.P, Math.min(dilated(FH, layer.dilation), dilated(FW, layer.dilation)), 'filter', fail);
  },
  formulas: (layer) => {
    const C = (layer.groups ?? 1) > 1 ? 'C/G' : 'C';
    return { out: 'W′ = (W − F + 2P)/S + 1', params: layer.bias ? `K·(F·F·${C} + 1)` : `K·(F·F·${C})` };
  },
  shape(layer, at) {
    const bad = needsMap(layer, at);
    if (bad) return bad;
    const { index, rf } = at;
    const [C, H, W] = at.cur as [number, number, number];
    const [FH, FW] = kernelHW(layer.F);
    const { S, dilation: d, K } = layer;
    const G = layer.groups ?? 1;
    if (C % G !== 0 || K % G !== 0) return groupsError(layer, index, C, G);
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
    const fan = (FH * FW * C) / G;
    const params = K * (fan + (layer.bias ? 1 : 0));
    const macs = OH * OW * K * fan;
    const fanText = G > 1 ? `${productText([FH, FW])}·${fmt(C)}/${fmt(G)}` : productText([FH, FW, C]);
    seeWindow(rf, FHe, FWe, S, OH, OW);
    const outShape: Shape = [K, OH, OW];
    return {
      outShape,
      macs,
      activationBytes: K * OH * OW * BYTES_PER_F32,
      arithmetic: {
        outSize: windowSizeText(g, prefix),
        params: layer.bias ? `${fmt(K)}·(${fanText} + 1) = ${fmt(params)}` : `${fmt(K)}·(${fanText}) = ${fmt(params)}`,
        macs: `${productText([OH, OW, K])}·(${fanText}) = ${fmt(macs)}`,
      },
      geometry: { ...g, OH, OW },
      ...(G > 1 && { plainConv: { params: K * (FH * FW * C + (layer.bias ? 1 : 0)), macs: OH * OW * K * FH * FW * C } }),
    };
  },
  tensors(layer, inShape, scheme) {
    const [FH, FW] = kernelHW(layer.F);
    const Cg = inShape[0] / (layer.groups ?? 1);
    // PyTorch's fans for a weight [K, C/G, FH, FW]: in = C/G·FH·FW, out = K·FH·FW.
    const init = weightInit(scheme, Cg * FH * FW, layer.K * FH * FW);
    return [
      { role: 'weight', shape: [layer.K, Cg, FH, FW], trainable: true, init: init.weight },
      ...(layer.bias ? [{ role: 'bias' as const, shape: [layer.K], trainable: true as const, init: init.bias }] : []),
    ];
  },
  pytorch(layer, a) {
    const [FH, FW] = kernelHW(layer.F);
    const g = a.geometry!;
    const args = [`${a.inShape[0]}`, `${layer.K}`, `kernel_size=(${FH}, ${FW})`, `stride=${layer.S}`, `padding=(${g.PH}, ${g.PW})`];
    if (layer.dilation !== 1) args.push(`dilation=${layer.dilation}`);
    if ((layer.groups ?? 1) !== 1) args.push(`groups=${layer.groups}`);
    if (!layer.bias) args.push('bias=False');
    return [{ suffix: '', ctor: `nn.Conv2d(${args.join(', ')})`, shape: a.outShape }, ...fusedActivation(layer.activation, a.outShape)];
  },
  onnx(layer, a) {
    const [FH, FW] = kernelHW(layer.F);
    const { PH, PW } = a.geometry!;
    const conv: OnnxNode = {
      op: 'Conv',
      suffix: '',
      inputs: ['x', 'weight', ...(layer.bias ? (['bias'] as const) : [])],
      attrs: [
        { name: 'kernel_shape', ints: [FH, FW] },
        { name: 'strides', ints: [layer.S, layer.S] },
        { name: 'pads', ints: [PH, PW, PH, PW] },
        { name: 'dilations', ints: [layer.dilation, layer.dilation] },
        { name: 'group', i: layer.groups ?? 1 },
      ],
    };
    return [conv, ...(layer.activation ? [onnxActivation(layer.activation)] : [])];
  },
};

/** C and K must both split into G groups; says which does not and which G would do. */
function groupsError(layer: Conv2dLayer, index: number, C: number, G: number): ShapeError {
  const divides = (g: number) => C % g === 0 && layer.K % g === 0;
  const options = Array.from({ length: Math.min(C, layer.K) }, (_, i) => i + 1).filter(divides);
  const why = [C % G !== 0 && `C = ${fmt(C)} input channels: ${fmt(C)}/${fmt(G)} = ${fmt(C / G)}`, layer.K % G !== 0 && `K = ${fmt(layer.K)} filters: ${fmt(layer.K)}/${fmt(G)} = ${fmt(layer.K / G)}`]
    .filter(Boolean)
    .join(', and ');
  return new ShapeError({
    layerId: layer.id,
    layerIndex: index,
    field: 'groups',
    reason: `groups = ${fmt(G)} must divide both the input channels and the filters, but not the ${why}`,
    suggestion: `use groups = ${options.map(fmt).join(', ')}${divides(C) ? ` (${fmt(C)}: depthwise, one group per channel)` : ''}`,
  });
}
