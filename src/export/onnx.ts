// Why: ONNX is what other runtimes read (onnxruntime on servers, phones and in browsers without
// convplay). This writes a trained design as an ONNX model (opset 13): the network in evaluation mode
// — dropout is the identity, batch-norm uses its running statistics — with the weights inside.
// Input `input` float [N, C, H, W], normalised as the app does ((x/255 − mean)/std); outputs `logits`
// [N, 10] and `probabilities` (their softmax).
//
// Decisions:
// - Initializer names are the checkpoint's state-dict keys (`conv1.weight`), node names the layer
//   names of model.py, so the three exports read alike.
// - Padding is written resolved (the engine's numbers), as in model.py.
// - dense is Gemm with transB = 1 (weights stay [out, in]), after a Flatten when its input is C×H×W.
import { analyzeNetwork, classesOf, defOf, isBlock, type ConvplayDocument, type LayerAnalysis, type LayerItem, type LayerSpec, type OnnxAttr } from '../model';
import type { ParamTensor } from './checkpoint';
import { expectedTensors, tensorId } from './expected-tensors';
import { ExportError } from './import-error';
import { moduleNames } from './python-names';
import { INPUT_MEAN, INPUT_STD, normText, type ExportData } from './pytorch';
import { ProtoWriter } from './protobuf';

export const ONNX_OPSET = 13;
/** IR version 7 is what opset 13 came with; every runtime that reads opset 13 reads it. */
const IR_VERSION = 7;
const FLOAT = 1;
const ATTR = { FLOAT: 1, INT: 2, INTS: 7 } as const;

type Attr = OnnxAttr;

interface Graph {
  nodes: ProtoWriter[];
  initializers: ProtoWriter[];
}

function attribute(a: Attr): ProtoWriter {
  const w = new ProtoWriter().string(1, a.name);
  if ('f' in a) return w.float(2, a.f).int(20, ATTR.FLOAT);
  if ('i' in a) return w.int(3, a.i).int(20, ATTR.INT);
  return w.packedInts(8, a.ints).int(20, ATTR.INTS);
}

function node(op: string, name: string, inputs: string[], outputs: string[], attrs: Attr[] = []): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of inputs) w.string(1, i);
  for (const o of outputs) w.string(2, o);
  w.string(3, name).string(4, op);
  for (const a of attrs) w.message(5, attribute(a));
  return w;
}

function tensor(name: string, shape: readonly number[], data: Float32Array): ProtoWriter {
  const w = new ProtoWriter().packedInts(1, shape).int(2, FLOAT).string(8, name);
  // raw_data is little-endian, as Float32Array is on every platform browsers run on.
  return w.bytes(9, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

function valueInfo(name: string, dims: (number | string)[]): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of dims) shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, FLOAT).message(2, shape);
  return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
}

/**
 * The design with these weights (a checkpoint's tensors: every trainable tensor and batch-norm
 * statistic) as ONNX model bytes. Throws ExportError when the design cannot be built or a tensor is
 * missing or misshaped.
 */
export function toOnnx(doc: ConvplayDocument, tensors: readonly ParamTensor[], options: { source?: string; data?: ExportData } = {}): Uint8Array {
  const { spec } = doc;
  const analysis = analyzeNetwork(spec);
  const expected = expectedTensors(spec);
  if (!analysis.ok || 'error' in expected) throw new ExportError('spec', analysis.error?.message ?? 'the design cannot be built');
  const given = new Map(tensors.map((t) => [tensorId(t.layerId, t.role), t]));
  const keys = new Map<string, string>();
  for (const e of expected) {
    const t = given.get(tensorId(e.layerId, e.role));
    if (!t) throw new ExportError(`tensors ${tensorId(e.layerId, e.role)}`, `missing (expected shape [${e.shape.join(', ')}])`);
    if (t.data.length !== e.shape.reduce((a, b) => a * b, 1)) throw new ExportError(`tensors ${tensorId(e.layerId, e.role)}`, `${t.data.length} values for shape [${e.shape.join(', ')}]`);
    keys.set(tensorId(e.layerId, e.role), e.key);
  }
  const names = moduleNames(spec);
  const graph: Graph = { nodes: [], initializers: [] };
  const init = (layerId: string, role: ParamTensor['role']): string => {
    const id = tensorId(layerId, role);
    const t = given.get(id)!;
    const key = keys.get(id)!;
    graph.initializers.push(tensor(key, t.shape, t.data));
    return key;
  };
  const take = (base: string) => names.extra.take(base);
  // Layers in forward order; a residual block is its body, its shortcut (the input itself or a 1×1
  // Conv, the projection), an Add and a Relu.
  let leaf = 0;
  const emitLeaf = (x: string) => {
    const layer = analysis.leaves[leaf]!;
    return emitLayer(layer, analysis.layers[leaf++]!, names.layer.get(layer.id)!, x, graph, init, take);
  };
  const emitItems = (items: readonly LayerItem[], x: string): string =>
    items.reduce((cur, item) => {
      if (!isBlock(item)) return emitLeaf(cur);
      const body = emitItems(item.body, cur);
      const shortcut = item.shortcut === 'projection' ? emitLeaf(cur) : cur;
      const name = names.layer.get(item.id)!;
      graph.nodes.push(node('Add', name, [body, shortcut], [`${name}.out`]));
      if (!item.relu) return `${name}.out`;
      const relu = take(`${name}_relu`);
      graph.nodes.push(node('Relu', relu, [`${name}.out`], [`${relu}.out`]));
      return `${relu}.out`;
    }, x);
  const x = emitItems(spec.layers, 'input');
  graph.nodes.push(node('Identity', 'logits', [x], ['logits']));
  graph.nodes.push(node('Softmax', 'probabilities', ['logits'], ['probabilities'], [{ name: 'axis', i: 1 }]));

  const { C, H, W } = spec.input;
  const g = new ProtoWriter();
  for (const n of graph.nodes) g.message(1, n);
  g.string(2, 'convplay');
  for (const t of graph.initializers) g.message(5, t);
  const classes = classesOf(spec);
  const mean = normText(options.data?.mean, INPUT_MEAN);
  const std = normText(options.data?.std, INPUT_STD);
  g.string(10, `Input: float [N, ${C}, ${H}, ${W}], pixels as (x/255 - ${mean})/${std}. Outputs: logits and probabilities [N, ${classes}].`);
  g.message(11, valueInfo('input', ['N', C, H, W]));
  g.message(12, valueInfo('logits', ['N', classes]));
  g.message(12, valueInfo('probabilities', ['N', classes]));

  const model = new ProtoWriter()
    .int(1, IR_VERSION)
    .string(2, 'convplay')
    .string(3, '1')
    .message(8, new ProtoWriter().string(1, '').int(2, ONNX_OPSET))
    .message(7, g);
  const meta: [string, string][] = [
    ['spec', JSON.stringify({ spec, train: doc.train })],
    ['input_mean', mean],
    ['input_std', std],
  ];
  if (options.data) meta.push(['class_names', JSON.stringify(options.data.classNames)]);
  if (options.source) meta.push(['source', options.source]);
  for (const [k, v] of meta) model.message(14, new ProtoWriter().string(1, k).string(2, v));
  return model.finish();
}

/** Appends the layer's nodes (its ONNX form in the layer table) reading `x`; returns the name of its output. */
function emitLayer(layer: LayerSpec, a: LayerAnalysis, name: string, x: string, g: Graph, init: (layerId: string, role: ParamTensor['role']) => string, take: (base: string) => string): string {
  const nodes = defOf(layer).onnx(layer, { inShape: a.inShape!, outShape: a.outShape!, ...(a.geometry && { geometry: a.geometry }) });
  // Values are named `<node>.out`: a dot never appears in a layer name, so no value can take the
  // name of the graph's input and outputs or of an initializer (`conv1.weight`).
  for (const n of nodes) {
    const nodeName = n.suffix === '' ? name : take(`${name}${n.suffix}`);
    const inputs = n.inputs.map((i) => (i === 'x' ? x : init(layer.id, i)));
    g.nodes.push(node(n.op, nodeName, inputs, [`${nodeName}.out`], n.attrs ?? []));
    x = `${nodeName}.out`;
  }
  return x;
}
