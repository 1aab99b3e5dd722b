import { describe, expect, it } from 'vitest';
import { getPreset, PRESET_IDS, type ConvplayDocument, type LayerItem } from '../model';
import { expectedTensors } from './expected-tensors';
import { ExportError } from './import-error';
import { moduleNames, pythonIdentifier } from './python-names';
import { pyFloat, toPyTorch } from './pytorch';

function doc(layers: LayerItem[]): ConvplayDocument {
  const p = getPreset('reference-cnn');
  return { spec: { ...p.spec, layers }, train: p.train };
}

/** The `self.<name> = <ctor>` lines of __init__, as [name, ctor]. */
function modules(py: string): [string, string][] {
  return [...py.matchAll(/^ {8}self\.(\w+) = (.+)$/gm)].map((m) => [m[1]!, m[2]!]);
}

/** The attributes forward applies, in order. */
function forwardOrder(py: string): string[] {
  // A residual block's projection applies to the block's kept input: `x = x + self.p(res_in)`.
  return [...py.matchAll(/^ {8}x = (?:x \+ )?self\.(\w+)\(\w+\)/gm)].map((m) => m[1]!);
}

const EXPECTED_MODULES: Record<(typeof PRESET_IDS)[number], string[]> = {
  'reference-cnn': [
    'conv1 = nn.Conv2d(1, 32, kernel_size=(3, 3), stride=1, padding=(1, 1))',
    'relu1 = nn.ReLU()',
    'pool1 = nn.MaxPool2d(kernel_size=2, stride=2, padding=0)',
    'conv2 = nn.Conv2d(32, 64, kernel_size=(3, 3), stride=1, padding=(1, 1))',
    'relu2 = nn.ReLU()',
    'pool2 = nn.MaxPool2d(kernel_size=2, stride=2, padding=0)',
    'fc_flatten = nn.Flatten()',
    'fc = nn.Linear(3136, 10)',
  ],
  'lenet-5': [
    'c1 = nn.Conv2d(1, 6, kernel_size=(5, 5), stride=1, padding=(2, 2))',
    'c1_act = nn.Tanh()',
    's2 = nn.AvgPool2d(kernel_size=2, stride=2, padding=0, count_include_pad=True)',
    'c3 = nn.Conv2d(6, 16, kernel_size=(5, 5), stride=1, padding=(0, 0))',
    'c3_act = nn.Tanh()',
    's4 = nn.AvgPool2d(kernel_size=2, stride=2, padding=0, count_include_pad=True)',
    'f5_flatten = nn.Flatten()',
    'f5 = nn.Linear(400, 120)',
    'f5_act = nn.Tanh()',
    'f6 = nn.Linear(120, 84)',
    'f6_act = nn.Tanh()',
    'output = nn.Linear(84, 10)',
  ],
  'all-conv': [
    'conv1 = nn.Conv2d(1, 32, kernel_size=(3, 3), stride=1, padding=(1, 1))',
    'conv1_act = nn.ReLU()',
    'down1 = nn.Conv2d(32, 32, kernel_size=(4, 4), stride=2, padding=(1, 1))',
    'down1_act = nn.ReLU()',
    'conv2 = nn.Conv2d(32, 64, kernel_size=(3, 3), stride=1, padding=(1, 1))',
    'conv2_act = nn.ReLU()',
    'down2 = nn.Conv2d(64, 64, kernel_size=(4, 4), stride=2, padding=(1, 1))',
    'down2_act = nn.ReLU()',
    'classes = nn.Conv2d(64, 10, kernel_size=(1, 1), stride=1, padding=(0, 0))',
    'gap = nn.AdaptiveAvgPool2d(1)',
    'gap_flatten = nn.Flatten()',
  ],
  'one-by-one': [
    'conv1 = nn.Conv2d(1, 32, kernel_size=(3, 3), stride=1, padding=(1, 1))',
    'conv1_act = nn.ReLU()',
    'pool1 = nn.MaxPool2d(kernel_size=2, stride=2, padding=0)',
    'squeeze = nn.Conv2d(32, 8, kernel_size=(1, 1), stride=1, padding=(0, 0))',
    'squeeze_act = nn.ReLU()',
    'conv2 = nn.Conv2d(8, 16, kernel_size=(3, 3), stride=1, padding=(1, 1))',
    'conv2_act = nn.ReLU()',
    'pool2 = nn.MaxPool2d(kernel_size=2, stride=2, padding=0)',
    'fc_flatten = nn.Flatten()',
    'fc = nn.Linear(784, 10)',
  ],
  'depthwise-separable': [
    'conv1 = nn.Conv2d(1, 32, kernel_size=(3, 3), stride=1, padding=(1, 1))',
    'conv1_act = nn.ReLU()',
    'pool1 = nn.MaxPool2d(kernel_size=2, stride=2, padding=0)',
    'depthwise = nn.Conv2d(32, 32, kernel_size=(3, 3), stride=1, padding=(1, 1), groups=32)',
    'depthwise_act = nn.ReLU()',
    'pointwise = nn.Conv2d(32, 64, kernel_size=(1, 1), stride=1, padding=(0, 0))',
    'pointwise_act = nn.ReLU()',
    'pool2 = nn.MaxPool2d(kernel_size=2, stride=2, padding=0)',
    'fc_flatten = nn.Flatten()',
    'fc = nn.Linear(3136, 10)',
  ],
  'bn-dropout': [
    'conv1 = nn.Conv2d(1, 32, kernel_size=(3, 3), stride=1, padding=(1, 1), bias=False)',
    'bn1 = nn.BatchNorm2d(32, eps=0.00001, momentum=0.1)',
    'relu1 = nn.ReLU()',
    'pool1 = nn.MaxPool2d(kernel_size=2, stride=2, padding=0)',
    'conv2 = nn.Conv2d(32, 64, kernel_size=(3, 3), stride=1, padding=(1, 1), bias=False)',
    'bn2 = nn.BatchNorm2d(64, eps=0.00001, momentum=0.1)',
    'relu2 = nn.ReLU()',
    'pool2 = nn.MaxPool2d(kernel_size=2, stride=2, padding=0)',
    'drop1 = nn.Dropout(p=0.25)',
    'fc1_flatten = nn.Flatten()',
    'fc1 = nn.Linear(3136, 128)',
    'fc1_act = nn.ReLU()',
    'drop2 = nn.Dropout(p=0.5)',
    'fc2 = nn.Linear(128, 10)',
  ],
  'small-resnet': [
    'stem = nn.Conv2d(1, 16, kernel_size=(3, 3), stride=1, padding=(1, 1), bias=False)',
    'stem_bn = nn.BatchNorm2d(16, eps=0.00001, momentum=0.1)',
    'stem_relu = nn.ReLU()',
    'stem_pool = nn.MaxPool2d(kernel_size=2, stride=2, padding=0)',
    'res1_a = nn.Conv2d(16, 16, kernel_size=(3, 3), stride=1, padding=(1, 1), bias=False)',
    'res1_a_bn = nn.BatchNorm2d(16, eps=0.00001, momentum=0.1)',
    'res1_a_relu = nn.ReLU()',
    'res1_b = nn.Conv2d(16, 16, kernel_size=(3, 3), stride=1, padding=(1, 1), bias=False)',
    'res1_b_bn = nn.BatchNorm2d(16, eps=0.00001, momentum=0.1)',
    'res2_a = nn.Conv2d(16, 64, kernel_size=(4, 4), stride=2, padding=(1, 1), bias=False)',
    'res2_a_bn = nn.BatchNorm2d(64, eps=0.00001, momentum=0.1)',
    'res2_a_relu = nn.ReLU()',
    'res2_b = nn.Conv2d(64, 64, kernel_size=(3, 3), stride=1, padding=(1, 1), bias=False)',
    'res2_b_bn = nn.BatchNorm2d(64, eps=0.00001, momentum=0.1)',
    'res2_shortcut = nn.Conv2d(16, 64, kernel_size=1, stride=2)',
    'gap = nn.AdaptiveAvgPool2d(1)',
    'gap_flatten = nn.Flatten()',
    'fc = nn.Linear(64, 10)',
  ],
  mlp: ['flatten = nn.Flatten()', 'fc1 = nn.Linear(784, 128)', 'fc1_act = nn.ReLU()', 'fc2 = nn.Linear(128, 10)'],
};

describe('toPyTorch', () => {
  it.each(PRESET_IDS)('%s: the layers in order, forward applies each once, keys match the checkpoint', (id) => {
    const p = getPreset(id);
    const py = toPyTorch({ spec: p.spec, train: p.train });
    const mods = modules(py);
    expect(mods.map(([n, c]) => `${n} = ${c}`)).toEqual(EXPECTED_MODULES[id]);
    expect(forwardOrder(py)).toEqual(mods.map(([n]) => n));
    // Every checkpoint key's module is a layer with weights in the generated module.
    const exp = expectedTensors(p.spec);
    if ('error' in exp) throw new Error(exp.error);
    const owners = new Set(mods.filter(([, c]) => /Conv2d|Linear|BatchNorm/.test(c)).map(([n]) => n));
    expect(new Set(exp.map((e) => e.key.split('.')[0]))).toEqual(owners);
    expect(py).toContain('class ConvplayNet(nn.Module):');
    expect(py).toContain('model.load_state_dict(state, strict=True)');
    expect(py).toContain('from safetensors.torch import load_file');
    expect(py).toContain('torch.frombuffer(');
    expect(py).toContain('if __name__ == "__main__":');
    expect(py).toMatch(/^PARAMETERS = \d+$/m);
    expect(py).toContain(`#   ${p.spec.layers[0]!.id}`);
    expect(py).not.toMatch(/\t/);
  });

  it('starts the weights the way convplay did: PyTorch default, He or Glorot', () => {
    const p = getPreset('reference-cnn');
    const init = (py: string) => py.slice(py.indexOf('    def __init__'), py.indexOf('    def forward'));
    const plain = init(toPyTorch({ spec: p.spec, train: p.train }));
    expect(plain).toContain("Weights start from PyTorch's default");
    expect(plain).not.toContain('nn.init.');
    const he = init(toPyTorch({ spec: p.spec, train: { ...p.train, init: 'he' } }));
    expect(he).toContain("        for m in self.modules():\n            if isinstance(m, (nn.Conv2d, nn.Linear)):\n                nn.init.kaiming_normal_(m.weight, mode='fan_in', nonlinearity='relu')\n                if m.bias is not None:\n                    nn.init.zeros_(m.bias)\n");
    const glorot = init(toPyTorch({ spec: p.spec, train: { ...p.train, init: 'glorot' } }));
    expect(glorot).toContain('                nn.init.xavier_uniform_(m.weight)\n');
    expect(glorot).not.toContain('kaiming');
  });

  it('embeds the design as SPEC_JSON that parses back to the same document', () => {
    const p = getPreset('lenet-5');
    const py = toPyTorch({ spec: p.spec, train: p.train });
    const literal = /^SPEC_JSON = (".*")$/m.exec(py)![1]!;
    expect(JSON.parse(JSON.parse(literal))).toEqual({ format: 'convplay', version: 1, spec: p.spec, train: p.train });
  });

  it('writes awkward layers the way PyTorch spells them', () => {
    const py = toPyTorch(
      doc([
        { id: 'conv2d-1', kind: 'conv2d', K: 4, F: [3, 5], S: 1, P: 'same', dilation: 2, bias: false, activation: 'leaky-relu' },
        { id: 'training', kind: 'batch-norm', momentum: 0.2, epsilon: 1e-3 },
        { id: 'avg', kind: 'avg-pool', F: 3, S: 3, P: 1 },
        { id: 'class', kind: 'sigmoid' },
        { id: '1x', kind: 'leaky-relu', alpha: 0.2 },
        { id: 'fc.1', kind: 'dense', units: 12, bias: true, activation: 'sigmoid' },
        { id: 'bn1d', kind: 'batch-norm', momentum: 0.1, epsilon: 1e-5 },
        { id: 'fc-1', kind: 'dense', units: 10, bias: false },
      ]),
    );
    expect(modules(py).map(([n, c]) => `${n} = ${c}`)).toEqual([
      'conv2d_1 = nn.Conv2d(1, 4, kernel_size=(3, 5), stride=1, padding=(2, 4), dilation=2, bias=False)',
      'conv2d_1_act = nn.LeakyReLU(negative_slope=0.01)',
      'training_ = nn.BatchNorm2d(4, eps=0.001, momentum=0.2)',
      'avg = nn.AvgPool2d(kernel_size=3, stride=3, padding=1, count_include_pad=True)',
      'class_ = nn.Sigmoid()',
      'layer_1x = nn.LeakyReLU(negative_slope=0.2)',
      'fc_1_flatten = nn.Flatten()',
      'fc_1 = nn.Linear(400, 12)',
      'fc_1_act = nn.Sigmoid()',
      'bn1d = nn.BatchNorm1d(12, eps=0.00001, momentum=0.1)',
      'fc_1_2 = nn.Linear(12, 10, bias=False)',
    ]);
    expect(py).toContain('x = self.avg(x)  # [N, 4, 10, 10]');
  });

  it('a residual block keeps its input, adds the (projected) shortcut after its body, then ReLU', () => {
    const p = getPreset('small-resnet');
    const py = toPyTorch({ spec: p.spec, train: p.train });
    const forward = py.slice(py.indexOf('    def forward'), py.indexOf('        return x'));
    expect(forward).toContain('        res1_in = x  # res1: its input, kept for the shortcut\n        x = self.res1_a(x)');
    expect(forward).toContain('        x = x + res1_in  # res1: body + shortcut, [N, 16, 14, 14]\n        x = torch.relu(x)\n        res2_in = x');
    expect(forward).toContain('        x = x + self.res2_shortcut(res2_in)  # res2: body + shortcut, [N, 64, 7, 7]\n        x = torch.relu(x)\n        x = self.gap(x)');
    const exp = expectedTensors(p.spec);
    if ('error' in exp) throw new Error(exp.error);
    expect(exp.filter((e) => e.layerId === 'res2.shortcut').map((e) => [e.key, e.shape])).toEqual([
      ['res2_shortcut.weight', [64, 16, 1, 1]],
      ['res2_shortcut.bias', [64]],
    ]);
  });

  it('refuses a design that cannot be built, and odd file names', () => {
    const p = getPreset('mlp');
    const broken = doc(p.spec.layers.slice(0, 2));
    expect(() => toPyTorch(broken)).toThrow(ExportError);
    expect(() => toPyTorch({ spec: p.spec, train: p.train }, { weightsFile: 'a"; import os' })).toThrow(/plain file name/);
  });
});

describe('python names', () => {
  it('turns ids into unique, legal, non-reserved attribute names', () => {
    expect(pythonIdentifier('conv2d-1')).toBe('conv2d_1');
    expect(pythonIdentifier('c1.a:b')).toBe('c1_a_b');
    expect(pythonIdentifier('3x3')).toBe('layer_3x3');
    expect(pythonIdentifier('_private')).toBe('layer__private');
    expect(pythonIdentifier('lambda')).toBe('lambda_');
    expect(pythonIdentifier('forward')).toBe('forward_');
    expect(pythonIdentifier('training')).toBe('training_');
    const names = moduleNames(doc([
      { id: 'a-b', kind: 'flatten' },
      { id: 'a_b', kind: 'flatten' },
      { id: 'a.b', kind: 'flatten' },
      { id: 'a_b_2', kind: 'dense', units: 10, bias: true },
    ]).spec).layer;
    expect([...names.values()]).toEqual(['a_b', 'a_b_2', 'a_b_3', 'a_b_2_2']);
  });

  it('formats floats so Python reads the same double', () => {
    expect(pyFloat(0)).toBe('0.0');
    expect(pyFloat(1)).toBe('1.0');
    expect(pyFloat(0.1)).toBe('0.1');
    expect(pyFloat(1e-8)).toBe('1e-8');
    expect(pyFloat(1e-5)).toBe('0.00001');
  });
});
