// The exports follow the dataset a design was trained on: its class count, its per-channel
// normalisation and its class names (MNIST's exports stay as they were).
import { describe, expect, it } from 'vitest';
import { fitSpecToData, getPreset, type ConvplayDocument, type DatasetDescriptor } from '../model';
import { expectedTensors } from './expected-tensors';
import { toOnnx } from './onnx';
import { toPyTorch } from './pytorch';
import { pytorchReadme, toTrainScript } from './train-script';

const shapes: DatasetDescriptor = {
  id: 'own', name: 'shapes', input: { C: 3, H: 32, W: 32 }, classNames: ['disc', 'square', 'triangle'],
  mean: [0.25, 0.5, 0.125], std: [0.2, 0.3, 0.4], trainCount: 240, testCount: 60,
};
const data = { mean: shapes.mean, std: shapes.std, classNames: shapes.classNames };

function ownDoc(): ConvplayDocument {
  const p = getPreset('reference-cnn');
  return { spec: fitSpecToData(p.spec, shapes), train: { ...p.train, dataset: 'own' } };
}

describe('exports of a design trained on the user\'s colour images', () => {
  it('model.py: 3 class scores, per-channel normalisation as [1, C, 1, 1] tensors, the class names', () => {
    const py = toPyTorch(ownDoc(), { data });
    expect(py).toContain('# Outputs: [N, 3] class scores');
    expect(py).toContain('pixels normalised as (x/255 - (0.25, 0.5, 0.125))/(0.2, 0.3, 0.4) per channel.');
    expect(py).toContain('INPUT_MEAN = torch.tensor([0.25, 0.5, 0.125]).view(1, 3, 1, 1)');
    expect(py).toContain('INPUT_STD = torch.tensor([0.2, 0.3, 0.4]).view(1, 3, 1, 1)');
    expect(py).toContain('CLASS_NAMES = ["disc", "square", "triangle"]');
    expect(py).toContain('INPUT_SHAPE = (3, 32, 32)');
    const mnist = toPyTorch({ spec: getPreset('reference-cnn').spec, train: getPreset('reference-cnn').train });
    expect(mnist).toContain('INPUT_MEAN = 0.1307');
    expect(mnist).not.toContain('CLASS_NAMES');
  });

  it('ONNX: outputs [N, 3] and metadata with the normalisation and class names', () => {
    const doc = ownDoc();
    const expected = expectedTensors(doc.spec);
    if ('error' in expected) throw new Error(expected.error);
    const tensors = expected.map((e) => ({ layerId: e.layerId, role: e.role, shape: e.shape, data: new Float32Array(e.shape.reduce((a, b) => a * b, 1)) }));
    const text = new TextDecoder('latin1').decode(toOnnx(doc, tensors, { data }));
    expect(text).toContain('pixels as (x/255 - (0.25, 0.5, 0.125))/(0.2, 0.3, 0.4). Outputs: logits and probabilities [N, 3].');
    expect(text).toContain('class_names');
    expect(text).toContain('["disc","square","triangle"]');
  });

  it('train.py reads the IDX files of the download (rank 4), with the class count; README says no download is needed', () => {
    const doc = ownDoc();
    const py = toTrainScript(doc, { classNames: shapes.classNames });
    expect(py).toContain('DATASET = "own"');
    expect(py).toContain('CLASSES = 3');
    expect(py).toContain('TEST_PREFIX = "test"');
    expect(py).toContain('prefix + "-images-idx4-ubyte"');
    expect(py).toContain('default data/own, in this download');
    expect(py).toContain('torch.as_tensor(INPUT_MEAN, dtype=torch.float32, device=device)');
    const readme = pytorchReadme(doc, { own: { classNames: shapes.classNames, train: 240, test: 60, channels: 3 } });
    expect(readme).toContain('`data/own/`: your dataset exactly as convplay split it, so no download is needed: `train-images-idx4-ubyte`');
    expect(readme).toContain('(240 training images, [N, C, H, W] channel by channel');
    expect(readme).toContain('the 3 class names in label order (disc, square, triangle)');
    expect(readme).toContain('python train.py --data data/own');
    expect(readme).not.toContain('Fashion-MNIST');
    const mnist = getPreset('reference-cnn');
    const mnistPy = toTrainScript({ spec: mnist.spec, train: mnist.train });
    expect(mnistPy).toContain('CLASSES = 10');
    expect(mnistPy).toContain('TEST_PREFIX = "t10k"');
    expect(pytorchReadme({ spec: mnist.spec, train: mnist.train }, {})).toContain('Put the four IDX files of MNIST');
  });
});
