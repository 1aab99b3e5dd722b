import { describe, expect, it } from 'vitest';
import { getPreset, newTrainConfig } from '../model';
import { initialisation } from './initialisation';
import { toTrainScript, pytorchReadme } from './train-script';
import { crc32, zip } from './zip';

describe('initialisation', () => {
  it("follows the design's scheme (PyTorch's default unless chosen), in the engine declaration order", () => {
    expect(initialisation(getPreset('reference-cnn').spec)).toEqual([
      { key: 'conv1.weight', kind: 'fan-in-uniform', fanIn: 9 },
      { key: 'conv1.bias', kind: 'fan-in-uniform', fanIn: 9 },
      { key: 'conv2.weight', kind: 'fan-in-uniform', fanIn: 288 },
      { key: 'conv2.bias', kind: 'fan-in-uniform', fanIn: 288 },
      { key: 'fc.weight', kind: 'fan-in-uniform', fanIn: 3136 },
      { key: 'fc.bias', kind: 'fan-in-uniform', fanIn: 3136 },
    ]);
    expect(initialisation(getPreset('reference-cnn').spec, 'he').slice(0, 2)).toEqual([
      { key: 'conv1.weight', kind: 'he-normal', fanIn: 9 },
      { key: 'conv1.bias', kind: 'const', value: 0 },
    ]);
    const lenet = initialisation(getPreset('lenet-5').spec, 'glorot');
    expect(lenet[0]).toEqual({ key: 'c1.weight', kind: 'glorot-uniform', fanIn: 25, fanOut: 150 });
    const bn = initialisation(getPreset('bn-dropout').spec).filter((r) => r.key.startsWith('bn1'));
    expect(bn).toEqual([
      { key: 'bn1.weight', kind: 'const', value: 1 },
      { key: 'bn1.bias', kind: 'const', value: 0 },
    ]);
  });
});

describe('toTrainScript', () => {
  it("carries the design's training settings and the init table", () => {
    const p = getPreset('bn-dropout');
    const train = newTrainConfig({ ...p.train, batch: 64, epochs: 7, seed: 42 });
    const py = toTrainScript({ spec: p.spec, train });
    expect(py).toContain('BATCH = 64\nEPOCHS = 7\nSEED = 42\n');
    expect(py).toContain('OPTIMIZER = dict(kind="adam", lr=0.001');
    expect(py).toContain('SCHEDULE = dict(kind="cosine", warmup_steps=100');
    expect(py).toContain('    ("conv1.weight", "fan-in-uniform", 9, 0),'); // PyTorch's default scheme
    expect(py).toContain('    ("fc1.weight", "fan-in-uniform", 3136, 0),');
    expect(py).toContain('from model import INPUT_MEAN, INPUT_SHAPE, INPUT_STD, ConvplayNet, read_safetensors, save');
    expect(py).toContain('DistributedDataParallel');
    expect(py).toContain('def main(argv):');
    expect(pytorchReadme({ spec: p.spec, train }, { weights: 'w.safetensors' })).toContain('torchrun --nproc_per_node=4 train.py');
  });
});

describe('zip', () => {
  it('stores files with their CRC-32 and a central directory', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const bytes = zip([{ name: 'a.txt', data: 'hello' }, { name: 'b.bin', data: Uint8Array.of(1, 2, 3) }]);
    const v = new DataView(bytes.buffer);
    expect(v.getUint32(0, true)).toBe(0x04034b50);
    expect(new TextDecoder().decode(bytes.subarray(30, 35))).toBe('a.txt');
    expect(new TextDecoder().decode(bytes.subarray(35, 40))).toBe('hello');
    const end = bytes.length - 22;
    expect(v.getUint32(end, true)).toBe(0x06054b50);
    expect(v.getUint16(end + 10, true)).toBe(2);
    const central = v.getUint32(end + 16, true);
    expect(v.getUint32(central, true)).toBe(0x02014b50);
    expect(() => zip([{ name: '../x', data: '' }])).toThrow(/plain file name/);
  });
});
