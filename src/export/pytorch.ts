// Why: what a learner designs here should keep working where they go next. This writes a readable
// model.py: one nn.Module whose attributes are named like the checkpoint's keys (so
// load_state_dict(strict=True) takes a convplay .safetensors file as is), layers in design order,
// a forward that applies them one per line with the shape in a comment, and load()/save() helpers
// that need nothing but torch (the safetensors package is used when installed). The same generator
// exports an untrained design: the module then starts from PyTorch's own initialisation.
//
// Decisions:
// - A fused activation becomes its own attribute (`conv1_act`), a dense layer on a C×H×W input gets an
//   explicit nn.Flatten (`fc_flatten`), global-avg-pool is AdaptiveAvgPool2d(1) + Flatten: the module
//   computes exactly what convplay computes, and only layers with weights own state-dict keys.
// - Padding is written resolved (the engine's numbers, 'same' included), so PyTorch's own 'same'
//   rules never come into play.
// - The module outputs logits; convplay's softmax cross-entropy is not part of it.
import {
  analyzeNetwork,
  DOCUMENT_FORMAT,
  DOCUMENT_VERSION,
  classesOf,
  defOf,
  fmt,
  isBlock,
  pyFloat,
  type ConvplayDocument,
  type InitScheme,
  type LayerAnalysis,
  type LayerItem,
  type LayerSpec,
} from '../model';
import { CHECKPOINT_FORMAT, CHECKPOINT_VERSION } from './checkpoint';
import { ExportError } from './import-error';
import { moduleNames, type NameAllocator } from './python-names';

/** Pixel normalisation the app trains MNIST and Fashion-MNIST with ((x/255 − mean)/std). */
export const INPUT_MEAN = 0.1307;
export const INPUT_STD = 0.3081;

/** The dataset a design was trained on, as the exports need it: normalisation per channel and the
 *  class names (index = output). Absent: MNIST's. */
export interface ExportData {
  mean: readonly number[];
  std: readonly number[];
  classNames: readonly string[];
}

/** "0.1307" for one value (or all alike), "(0.49, 0.48, 0.45)" per channel. */
export function normText(v: readonly number[] | undefined, fallback: number): string {
  if (!v || v.length === 0) return String(fallback);
  return v.every((x) => x === v[0]) ? String(v[0]) : `(${v.map((x) => Number(x.toPrecision(6))).join(', ')})`;
}

/** A Python value that broadcasts over [N, C, H, W]: a float, or a [1, C, 1, 1] tensor. */
function pyNorm(v: readonly number[] | undefined, fallback: number): string {
  if (!v || v.length === 0 || v.every((x) => x === v[0])) return pyFloat(v?.[0] ?? fallback);
  return `torch.tensor([${v.map(pyFloat).join(', ')}]).view(1, ${v.length}, 1, 1)`;
}

export interface PyTorchOptions {
  /** The dataset it was trained on (normalisation, class names); absent: MNIST's. */
  data?: ExportData;
  /** The weights file `python model.py` loads by default. */
  weightsFile?: string;
  /** A line saying where it came from (e.g. the page URL); convplay by default. */
  source?: string;
}

interface Emitted {
  init: string[];
  forward: string[];
}

/** model.py for a design that can be built. Throws ExportError otherwise. */
export function toPyTorch(doc: ConvplayDocument, options: PyTorchOptions = {}): string {
  const { spec } = doc;
  const analysis = analyzeNetwork(spec);
  if (!analysis.ok) throw new ExportError('spec', analysis.error?.message ?? 'the design cannot be built');
  const weightsFile = options.weightsFile ?? 'model.safetensors';
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(weightsFile)) throw new ExportError('weightsFile', `a plain file name is needed, got ${JSON.stringify(weightsFile)}`);
  const source = options.source?.replace(/[\r\n]+/g, ' ');
  const names = moduleNames(spec);
  const body: Emitted = { init: [], forward: [] };
  // Layers in forward order; a residual block keeps its input, runs its body, adds the shortcut.
  let leaf = 0;
  const emitItems = (items: readonly LayerItem[]): void => {
    for (const item of items) {
      if (!isBlock(item)) {
        emitLayer(item, analysis.layers[leaf++]!, names.layer.get(item.id)!, names.extra, body);
        continue;
      }
      const skip = names.extra.take(`${names.layer.get(item.id)!}_in`);
      body.forward.push(`${skip} = x  # ${item.id}: its input, kept for the shortcut`);
      emitItems(item.body);
      let shortcut = skip;
      if (item.shortcut === 'projection') {
        const proj = analysis.layers[leaf++]!;
        const attr = names.layer.get(proj.id)!;
        body.init.push(`self.${attr} = nn.Conv2d(${proj.inShape![0]}, ${proj.outShape![0]}, kernel_size=1, stride=${item.S}${item.bias ? '' : ', bias=False'})`);
        shortcut = `self.${attr}(${skip})`;
      }
      const out = analysis.blocks.find((b) => b.id === item.id)!.outShape!;
      body.forward.push(`x = x + ${shortcut}  # ${item.id}: body + shortcut, ${shapeComment(out)}`);
      if (item.relu) body.forward.push('x = torch.relu(x)');
    }
  };
  emitItems(spec.layers);

  const { C, H, W } = spec.input;
  const specJson = JSON.stringify({ format: DOCUMENT_FORMAT, version: DOCUMENT_VERSION, spec, train: doc.train });
  const lines = [
    `# model.py: a PyTorch version of a network designed and trained in convplay${source ? ` (${source})` : ''}.`,
    '# Generated code; the design it was generated from is SPEC_JSON below.',
    '#',
    `# Input ${C}×${H}×${W}, ${fmt(analysis.totals.params)} trainable parameters, ${fmt(analysis.totals.macs)} multiply-adds per image.`,
    ...summaryTable(analysis.leaves, analysis.layers).map((l) => `#   ${l}`.trimEnd()),
    '#',
    `# Inputs: float32 [N, ${C}, ${H}, ${W}], pixels normalised as (x/255 - ${normText(options.data?.mean, INPUT_MEAN)})/${normText(options.data?.std, INPUT_STD)}${(options.data?.mean.length ?? 1) > 1 ? ' per channel' : ''}.`,
    `# Outputs: [N, ${classesOf(spec)}] class scores (logits); softmax turns them into probabilities.`,
    '#',
    '# Usage:',
    `#   python model.py [${weightsFile}]       loads the weights and prints the parameter count`,
    `#   from model import load; model = load("${weightsFile}")     a ConvplayNet in eval mode`,
    '#   save(model, "tuned.safetensors")      a checkpoint convplay can load again',
    'import json',
    'import os',
    'import struct',
    'import sys',
    '',
    'import torch',
    'from torch import nn',
    '',
    `INPUT_SHAPE = (${C}, ${H}, ${W})`,
    `INPUT_MEAN = ${pyNorm(options.data?.mean, INPUT_MEAN)}`,
    `INPUT_STD = ${pyNorm(options.data?.std, INPUT_STD)}`,
    ...(options.data ? [`CLASS_NAMES = [${options.data.classNames.map((n) => JSON.stringify(n)).join(', ')}]`] : []),
    `PARAMETERS = ${analysis.totals.params}`,
    `SPEC_JSON = ${JSON.stringify(specJson)}`,
    '',
    '',
    'class ConvplayNet(nn.Module):',
    '    def __init__(self):',
    '        super().__init__()',
    ...body.init.map((l) => `        ${l}`),
    ...initialisation(doc.train.init ?? 'pytorch').map((l) => `        ${l}`),
    '',
    '    def forward(self, x):',
    `        # x: [N, ${C}, ${H}, ${W}]`,
    ...body.forward.map((l) => `        ${l}`),
    '        return x',
    '',
    '',
    ...helpers(weightsFile),
  ];
  return `${lines.join('\n')}\n`;
}

/** The lines that start the weights the way convplay started them (an untrained export then begins
 *  where the app began). PyTorch's default is the layers' own reset_parameters(): nothing to write. */
export function initialisation(scheme: InitScheme): string[] {
  const loop = (weight: string, why: string) => [
    `# ${why}`,
    'for m in self.modules():',
    '    if isinstance(m, (nn.Conv2d, nn.Linear)):',
    `        ${weight}`,
    '        if m.bias is not None:',
    '            nn.init.zeros_(m.bias)',
  ];
  switch (scheme) {
    case 'pytorch':
      return ["# Weights start from PyTorch's default (kaiming_uniform_ with a=sqrt(5), bias U(+-1/sqrt(fan_in))), as in convplay."];
    case 'he':
      return loop("nn.init.kaiming_normal_(m.weight, mode='fan_in', nonlinearity='relu')", 'convplay started this network with He (Kaiming) normal weights, std sqrt(2/fan_in), and zero biases.');
    case 'glorot':
      return loop('nn.init.xavier_uniform_(m.weight)', 'convplay started this network with Glorot (Xavier) uniform weights, U(+-sqrt(6/(fan_in + fan_out))), and zero biases.');
    default:
      return scheme satisfies never;
  }
}

/** A layer's modules, from its PyTorch form in the layer table (helpers named after it: `conv1_act`). */
function emitLayer(layer: LayerSpec, a: LayerAnalysis, name: string, extra: NameAllocator, out: Emitted): void {
  const modules = defOf(layer).pytorch(layer, { inShape: a.inShape!, outShape: a.outShape!, ...(a.geometry && { geometry: a.geometry }) });
  for (const m of modules) {
    const attr = m.suffix === '' ? name : extra.take(`${name}${m.suffix}`);
    out.init.push(`self.${attr} = ${m.ctor}`);
    out.forward.push(`x = self.${attr}(x)  # ${shapeComment(m.shape)}`);
  }
}

export { pyFloat };

function shapeComment(shape: readonly number[]): string {
  return `[N, ${shape.join(', ')}]`;
}

function summaryTable(layers: readonly LayerSpec[], analysis: readonly LayerAnalysis[]): string[] {
  const rows = [['layer', 'kind', 'output', 'params']];
  layers.forEach((l, i) => {
    const a = analysis[i]!;
    const kind = (l.kind === 'conv2d' || l.kind === 'dense') && l.activation ? `${l.kind} + ${l.activation}` : l.kind;
    rows.push([l.id, kind, a.outShape!.join('×'), fmt(a.params)]);
  });
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  '));
}

/** The Python helpers after the class: read/write safetensors without the package, load, save, main. */
function helpers(weightsFile: string): string[] {
  return `
_DTYPES = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16,
           "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
           "BOOL": torch.bool}


def read_safetensors(path):
    """{name: tensor} from a .safetensors file (the safetensors package when installed, else plain Python)."""
    try:
        from safetensors.torch import load_file
    except ImportError:
        pass
    else:
        return load_file(path)
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        dtype = _DTYPES[info["dtype"]]
        if end > begin:
            # Little-endian bytes, as every machine PyTorch runs on stores them.
            flat = torch.frombuffer(bytearray(data[begin:end]), dtype=dtype)
        else:
            flat = torch.empty(0, dtype=dtype)
        tensors[name] = flat.reshape(info["shape"])
    return tensors


def write_safetensors(tensors, path, metadata):
    """Writes {name: tensor} (float32 / int64) and string metadata as .safetensors."""
    try:
        from safetensors.torch import save_file
    except ImportError:
        pass
    else:
        return save_file(tensors, path, metadata=metadata)
    codes = {torch.float32: ("F32", "f"), torch.int64: ("I64", "q")}
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name, t in tensors.items():
        code, fmt = codes[t.dtype]
        values = t.detach().cpu().reshape(-1).tolist()
        blob = struct.pack("<%d%s" % (len(values), fmt), *values)
        header[name] = {"dtype": code, "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def load(path="${weightsFile}"):
    """A ConvplayNet in eval mode with the weights of a convplay checkpoint."""
    state = {k: v for k, v in read_safetensors(path).items() if not k.startswith("optimizer.")}
    model = ConvplayNet()
    model.load_state_dict(state, strict=True)
    return model.eval()


def save(model, path, step=0):
    """Writes the model's weights as a checkpoint convplay can load (same design, no optimizer state)."""
    state = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    for k, v in state.items():
        if k.endswith("num_batches_tracked"):
            state[k] = torch.tensor(step, dtype=torch.int64)
    metadata = {"format": "${CHECKPOINT_FORMAT}", "version": "${CHECKPOINT_VERSION}", "spec": SPEC_JSON, "step": str(step)}
    write_safetensors(state, path, metadata)


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "${weightsFile}")
    if os.path.exists(path):
        model = load(path)
        print("loaded %s" % path)
    else:
        model = ConvplayNet().eval()
        print("no %s: PyTorch's initial weights" % path)
    count = parameter_count(model)
    print("%d parameters (convplay: %d)" % (count, PARAMETERS))
    with torch.no_grad():
        scores = model(torch.zeros(1, *INPUT_SHAPE))
    print("output shape:", tuple(scores.shape))
    sys.exit(0 if count == PARAMETERS else 1)
`
    .trimStart()
    .split('\n')
    .slice(0, -1);
}
