// Why: a design that outgrows the browser should take its training along, not only its layers. This
// writes train.py, which sits beside model.py and reproduces the run convplay would make: the same
// seeded initialisation (the engine's mulberry32 draws, replayed), the same optimizer with PyTorch's
// semantics (the app's kernels follow torch.optim), the same warm-up and schedule, batch, epochs, seed,
// epoch shuffle (the same generator, seeded per epoch), training subset and pixel normalisation, on
// the IDX files of MNIST or Fashion-MNIST from a local folder. It runs as `python train.py` or under
// `torchrun --nproc_per_node=N` (DistributedDataParallel: NCCL on GPUs, gloo on CPUs); each of the N
// processes takes 1/N of every batch, so the global batch and the step sequence stay the app's. It
// logs loss and accuracy per epoch and saves a .safetensors checkpoint the app loads back.
import { withOptimizerDefaults, withScheduleDefaults, type ConvplayDocument } from '../model';
import { ExportError } from './import-error';
import { initialisation, type InitRule } from './initialisation';
import { pyFloat } from './pytorch';
import TRAIN_SCRIPT_BODY from './train-body.py?raw';

export interface TrainScriptOptions {
  /** The weights file model.py was exported with (train.py --weights may start from it). */
  weightsFile?: string;
  /** The user's class names, for a design trained on its own dataset (built-ins have 10 classes). */
  classNames?: readonly string[];
}

/** train.py for a design that can be built. Throws ExportError otherwise. */
export function toTrainScript(doc: ConvplayDocument, options: TrainScriptOptions = {}): string {
  let init: InitRule[];
  try {
    init = initialisation(doc.spec, doc.train.init ?? 'pytorch');
  } catch (e) {
    throw new ExportError('spec', e instanceof Error ? e.message : String(e));
  }
  const t = doc.train;
  const o = withOptimizerDefaults(t.optimizer);
  const s = withScheduleDefaults(t.schedule);
  const weightsFile = options.weightsFile ?? 'model.safetensors';
  const own = t.dataset === 'own';
  const initLines = init.map((r) => {
    switch (r.kind) {
      case 'he-normal':
        return `    ("${r.key}", "he-normal", ${r.fanIn}, 0),`;
      case 'glorot-uniform':
        return `    ("${r.key}", "glorot-uniform", ${r.fanIn}, ${r.fanOut}),`;
      case 'fan-in-uniform':
        return `    ("${r.key}", "fan-in-uniform", ${r.fanIn}, 0),`;
      case 'const':
        return `    ("${r.key}", "const", ${pyFloat(r.value)}, 0),`;
      default:
        return r satisfies never;
    }
  });
  const header = [
    '# train.py: trains the network of model.py the way convplay trains it, on one process or many.',
    '#',
    '#   python train.py --data DIR                       one process (a GPU when there is one)',
    '#   torchrun --nproc_per_node=N train.py --data DIR  N processes, DistributedDataParallel',
    '#                                                    (NCCL on GPUs, gloo on CPUs)',
    `#   python train.py --weights ${weightsFile}   start from the weights trained in convplay`,
    '#',
    ...(own
      ? ['# DIR holds your dataset as convplay split it (default data/own, in this download): train-images-idx4-ubyte',
        '# ([N, C, H, W]; idx3 [N, H, W] when grey), train-labels-idx1-ubyte, test-…, and classes.json.']
      : ['# DIR holds the four IDX files (train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-…; .gz or not).']),
    '# Defaults below are the settings the design had in convplay; flags override them (--help).',
    '# With the defaults, one process starts from exactly the weights convplay starts from and visits the',
    "# images in the same order; N processes split each batch N ways, so the steps are the same too.",
    'import argparse',
    'import gzip',
    'import math',
    'import os',
    'import sys',
    'import time',
    '',
    'import torch',
    'import torch.distributed as dist',
    'import torch.nn.functional as F',
    '',
    'from model import INPUT_MEAN, INPUT_SHAPE, INPUT_STD, ConvplayNet, read_safetensors, save',
    '',
    `DATASET = "${t.dataset}"`,
    `CLASSES = ${options.classNames?.length ?? 10}`,
    `TEST_PREFIX = "${own ? 'test' : 't10k'}"  # the test split's file names start with it`,
    `BATCH = ${t.batch}`,
    `EPOCHS = ${t.epochs}`,
    `SEED = ${t.seed}`,
    `OPTIMIZER = dict(kind="${o.kind}", lr=${pyFloat(o.lr)}, momentum=${pyFloat(o.momentum)}, nesterov=${o.nesterov ? 'True' : 'False'}, beta1=${pyFloat(o.beta1)}, beta2=${pyFloat(o.beta2)}, epsilon=${pyFloat(o.epsilon)}, weight_decay=${pyFloat(o.weightDecay)})`,
    `SCHEDULE = dict(kind="${s.kind}", warmup_steps=${s.warmupSteps}, step_size=${s.stepSize}, gamma=${pyFloat(s.gamma)}, min_lr=${pyFloat(s.minLr)})`,
    `WEIGHTS_FILE = "${weightsFile}"`,
    '# (state-dict key, init, fan-in or value, fan-out): convplay draws them in this order from one generator.',
    'INIT = [',
    ...initLines,
    ']',
    '',
  ];
  return `${header.join('\n')}\n${TRAIN_SCRIPT_BODY}`;
}

/** README.md of the PyTorch download: what each file is and the three commands. */
export function pytorchReadme(doc: ConvplayDocument, files: { weights?: string; own?: { classNames: readonly string[]; train: number; test: number; channels: number } }): string {
  const t = doc.train;
  const own = files.own;
  const data = own
    ? `- \`data/own/\`: your dataset exactly as convplay split it, so no download is needed: \`train-images-idx${own.channels === 1 ? 3 : 4}-ubyte\`
  (${own.train} training images${own.channels === 1 ? ', [N, H, W]' : ', [N, C, H, W] channel by channel'}, bytes 0–255) with \`train-labels-idx1-ubyte\` (class indices), \`test-…\` likewise
  (${own.test} test images), and \`classes.json\`: the ${own.classNames.length} class names in label order (${own.classNames.join(', ')}).
  train.py reads this folder by default and normalises each channel with convplay's mean and std (in model.py).

Then:`
    : `Put the four IDX files of ${t.dataset === 'mnist' ? 'MNIST' : 'Fashion-MNIST'} (\`train-images-idx3-ubyte.gz\`, \`train-labels-idx1-ubyte.gz\`,
\`t10k-images-idx3-ubyte.gz\`, \`t10k-labels-idx1-ubyte.gz\`) in a folder, then:`;
  const dir = own ? 'data/own' : 'DIR';
  return `# A convplay design, in PyTorch

- \`model.py\`: the network (\`ConvplayNet\`), with \`load()\` and \`save()\` for convplay's \`.safetensors\` files.
- \`train.py\`: trains it with the settings it had in convplay: ${t.optimizer.kind} lr ${t.optimizer.lr}, ${t.schedule.kind} schedule, batch ${t.batch}, ${t.epochs} epochs, seed ${t.seed}, ${t.dataset}.
${files.weights ? `- \`${files.weights}\`: the weights as trained in convplay.\n` : ''}- Needs Python 3 and PyTorch (\`pip install torch\`, or Debian's \`apt install python3-torch\`).

${data}

\`\`\`sh
python train.py --data ${dir}${' '.repeat(Math.max(1, 35 - dir.length))}# one process (a GPU when there is one)
torchrun --nproc_per_node=4 train.py --data ${dir}${' '.repeat(Math.max(1, 14 - dir.length))}# 4 GPUs (or CPU processes) with DDP
python train.py --data ${dir} --epochs 20 --out long.safetensors${files.weights ? ` --weights ${files.weights}` : ''}
\`\`\`

(Debian 12's PyTorch 1.13 under Python 3.11: add \`--redirects 2 --tee 1\` after \`torchrun\`, whose defaults it
cannot parse; PyTorch 2 needs nothing.)

Each epoch prints the training loss and accuracy and the test loss and accuracy; the weights are saved
after every epoch (\`--out\`, default \`trained.safetensors\`). Load that file in convplay (Load weights) to
inspect what PyTorch trained. \`python train.py --help\` lists every setting.

Started fresh, train.py draws the same initial weights as convplay and visits the images in the same
order; the numbers differ only by floating-point rounding. Several processes split each batch, so the
steps stay the same; on CPUs batch-norm then sees each process's share of the batch (on GPUs it is
synchronised). Dropout masks come from PyTorch's generator.
`;
}
