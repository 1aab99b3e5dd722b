// Why: a network is planned once per (batch size, mode): every tensor allocated, every pipeline and
// bind group created. A training step is then a replay of the same dispatches — gather, forward, loss,
// backward, optimizer — in one compute pass, with only a few uniforms rewritten.
import type { BoundKernel, Encodable, Gpu } from '../gpu';
import { batchGather, batchGatherParams } from '../kernels/batch-gather';
import { softmaxCrossEntropy, softmaxCrossEntropyParams, STATS_SLOT_BYTES } from '../kernels/softmax-cross-entropy';
import { checkPlanFits, estimatePlanMemory } from './memory';
import { innerSize, type Node } from './nodes';
import { buildActivation } from './ops/activation';
import { buildBatchNorm } from './ops/batch-norm';
import { buildConv } from './ops/conv2d';
import { buildDense } from './ops/dense';
import { buildDropout } from './ops/dropout';
import type { BuiltOp, OpBuffers, OpContext } from './ops/op';
import { buildGlobalPool, buildPool } from './ops/pool';
import type { ParamStore } from './param-store';
import { allocTensor, disposeTensor, type Tensor } from './tensor';

/** Where a plan's input batch comes from. */
export type PlanInput =
  | { kind: 'gather'; images: GPUBuffer; labels: GPUBuffer; indices: GPUBuffer; imageBytes: number; mean?: readonly number[]; std?: readonly number[] }
  | { kind: 'direct' };

export interface PlanOptions {
  N: number;
  train: boolean;
  input: PlanInput;
  /** Input shape per sample. */
  inputShape: readonly [number, number, number];
  /** Class scores the loss is over (the dataset's classes). */
  classes: number;
  /** Stats ring slots (one per step between readbacks). */
  statsSlots: number;
  seed: number;
  /** Also write softmax probabilities (inspection). */
  probs?: boolean;
  /** Declared parameter slots per node index (same indices as `nodes`). */
  declared: { slots: OpContext['slots']; stateSlots: OpContext['stateSlots'] }[];
}

const view = (t: Tensor, shape: readonly number[], label: string): Tensor => ({ buffer: t.buffer, shape, size: shape.reduce((a, b) => a * b, 1), label });

export class Plan {
  readonly N: number;
  readonly train: boolean;
  readonly input: Tensor;
  /** u32 [N] labels (written by the gather, or by the caller for direct input). */
  readonly labels: GPUBuffer;
  readonly logits: Tensor;
  /** [N, classes] softmax output, when planned with `probs`. */
  readonly probs?: Tensor;
  readonly stats: GPUBuffer;
  readonly statsSlots: number;
  /** Layer id → the tensor holding that layer's output (for the activation view). */
  readonly outputs = new Map<string, Tensor>();
  /** Each node with its input and output tensors, in order (the cell explanations read them), and in
   *  a training plan the gradient of its output and its backward dispatches (the gradient view). */
  readonly nodeTensors: { node: Node; x: Tensor; y: Tensor; dy?: Tensor; backward: Encodable[] }[] = [];
  readonly gather?: BoundKernel;
  readonly loss?: BoundKernel;
  /** Class scores per image (the loss's classes). */
  readonly classes: number;
  /** The gather's per-channel normalisation (absent: MNIST's). */
  #norm: { mean?: readonly number[]; std?: readonly number[] } = {};
  #ops: BuiltOp[] = [];
  /** The layer each op serves (its node's layerId), for per-layer listings and timings. */
  #opLayers: string[] = [];
  #owned: Tensor[] = [];
  #ownedBuffers: GPUBuffer[] = [];
  #gpu: Gpu;

  private constructor(gpu: Gpu, fields: { N: number; train: boolean; input: Tensor; labels: GPUBuffer; logits: Tensor; probs?: Tensor; stats: GPUBuffer; statsSlots: number; gather?: BoundKernel; loss?: BoundKernel; classes: number }) {
    this.#gpu = gpu;
    this.N = fields.N;
    this.train = fields.train;
    this.input = fields.input;
    this.labels = fields.labels;
    this.logits = fields.logits;
    this.probs = fields.probs;
    this.stats = fields.stats;
    this.statsSlots = fields.statsSlots;
    this.gather = fields.gather;
    this.loss = fields.loss;
    this.classes = fields.classes;
  }

  static async build(gpu: Gpu, nodes: Node[], store: ParamStore, o: PlanOptions): Promise<Plan> {
    const { N } = o;
    const inputSize = o.inputShape[0] * o.inputShape[1] * o.inputShape[2];
    checkPlanFits(estimatePlanMemory(nodes, N, inputSize, store.layout.total, o.train), N, gpu.limits);
    const owned: Tensor[] = [];
    const ownedBuffers: GPUBuffer[] = [];
    const alloc = (shape: readonly number[], label: string) => {
      const t = allocTensor(gpu, shape, label);
      owned.push(t);
      return t;
    };
    const input = alloc([N, ...o.inputShape], 'input');
    const labels = gpu.storage(Math.max(16, N * 4), 'labels');
    ownedBuffers.push(labels);
    // Direct input has no labels: class 0 keeps the loss kernel's probabilities finite.
    if (o.input.kind === 'direct') gpu.clear(labels);
    const stats = gpu.storage(o.statsSlots * STATS_SLOT_BYTES, 'stats');
    ownedBuffers.push(stats);

    // Forward tensors: flatten is a view; dropout in evaluation is the identity (a view too).
    const xs: Tensor[] = [];
    const ys: Tensor[] = [];
    let x = input;
    for (const node of nodes) {
      const shape = [N, ...node.outShape];
      const passThrough = node.op === 'flatten' || (node.op === 'dropout' && !o.train);
      const y = passThrough ? view(x, shape, node.layerId) : alloc(shape, `${node.layerId}:y`);
      xs.push(x);
      ys.push(y);
      x = y;
    }
    const logits = x;
    const CLASSES = o.classes;
    if (logits.size !== N * CLASSES) throw new Error(`the last layer gives ${logits.size / N} values per image, the loss needs ${CLASSES}`);

    // Backward: two ping-pong gradient buffers (only dy and dx of one op are alive at a time) and a
    // scratch for fused epilogues.
    const maxSize = Math.max(...ys.map((t) => t.size), input.size, ...nodes.map((n) => N * innerSize(n)));
    const grads = o.train ? [alloc([maxSize], 'grad-a'), alloc([maxSize], 'grad-b')] : [];
    const scratch = o.train ? alloc([maxSize], 'grad-scratch') : undefined;

    let gather: BoundKernel | undefined;
    if (o.input.kind === 'gather') {
      gather = await batchGather(gpu, { images: o.input.images, labels: o.input.labels, indices: o.input.indices, x: input.buffer, y: labels, N, imageBytes: o.input.imageBytes, offset: 0, mean: o.input.mean, std: o.input.std });
    }
    let cur = 0;
    const probs = o.probs ? alloc([N, CLASSES], 'probs') : undefined;
    const loss = await softmaxCrossEntropy(gpu, { logits: logits.buffer, labels, stats, dlogits: o.train ? grads[cur]!.buffer : undefined, probs: probs?.buffer, N, classes: CLASSES, slot: 0 });

    // Gradient buffers per node, assigned from the last node backwards.
    const bufs: OpBuffers[] = nodes.map((_, i) => ({ x: xs[i]!, y: ys[i]! }));
    if (o.train) {
      for (let i = nodes.length - 1; i >= 0; i--) {
        const node = nodes[i]!;
        const dy = view(grads[cur]!, ys[i]!.shape, `${node.layerId}:dy`);
        if (node.op === 'flatten') {
          bufs[i] = { ...bufs[i]!, dy, dx: view(grads[cur]!, xs[i]!.shape, `${node.layerId}:dx`) };
          continue;
        }
        const needDx = i > 0;
        const dx = needDx ? view(grads[1 - cur]!, xs[i]!.shape, `${node.layerId}:dx`) : null;
        bufs[i] = { ...bufs[i]!, dy, dx, scratch };
        if (needDx) cur = 1 - cur;
      }
    }

    const plan = new Plan(gpu, { N, train: o.train, input, labels, logits, probs, stats, statsSlots: o.statsSlots, gather, loss, classes: CLASSES });
    if (o.input.kind === 'gather') plan.#norm = { mean: o.input.mean, std: o.input.std };
    plan.#owned = owned;
    plan.#ownedBuffers = ownedBuffers;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      const ctx: OpContext = { gpu, N, train: o.train, store, ...o.declared[i]! };
      plan.#ops.push(await buildOp({ ...ctx, seed: o.seed }, node, bufs[i]!));
      plan.#opLayers.push(node.layerId);
      for (const id of node.outputOf) plan.outputs.set(id, ys[i]!);
      plan.nodeTensors.push({ node, x: xs[i]!, y: ys[i]!, dy: bufs[i]!.dy, backward: plan.#ops[i]!.backward });
    }
    return plan;
  }

  /** The forward dispatches (gather included when the plan gathers). */
  forwardParts(): Encodable[] {
    return [...(this.gather ? [this.gather] : []), ...this.#ops.flatMap((op) => op.forward)];
  }

  /** Gather, forward, loss, backward: everything of a training step but the optimizer. */
  stepParts(): Encodable[] {
    return [...this.forwardParts(), this.loss!, ...[...this.#ops].reverse().flatMap((op) => op.backward)];
  }

  /**
   * stepParts() cut by what each piece serves: 'gather', each layer's forward, 'loss', each layer's
   * backward (in that order; empty pieces left out). For `npm run plan` and per-layer GPU time.
   */
  stepSegments(): { layerId: string; phase: 'forward' | 'backward'; parts: Encodable[] }[] {
    const seg = (layerId: string, phase: 'forward' | 'backward', parts: Encodable[]) => ({ layerId, phase, parts });
    const fwd = this.#ops.map((op, i) => seg(this.#opLayers[i]!, 'forward', op.forward));
    const bwd = this.#ops.map((op, i) => seg(this.#opLayers[i]!, 'backward', op.backward)).reverse();
    const all = [...(this.gather ? [seg('gather', 'forward', [this.gather])] : []), ...fwd, seg('loss', 'forward', [this.loss!]), ...bwd];
    return all.filter((s) => s.parts.length > 0);
  }

  /** Rewrites the per-step uniforms: which batch to gather, which stats slot (overwritten, or added
   *  to when accumulating an evaluation), dropout's mask. */
  prepareStep(step: number, batchOffset: number, slot: number, imageBytes: number, accumulate = false): void {
    this.gather?.setParams(batchGatherParams({ N: this.N, imageBytes, offset: batchOffset, ...this.#norm }));
    this.loss?.setParams(softmaxCrossEntropyParams({ N: this.N, classes: this.classes, slot, accumulate }));
    for (const op of this.#ops) op.beforeStep?.(step);
  }

  dispose(): void {
    for (const op of this.#ops) op.dispose();
    this.gather?.dispose();
    this.loss?.dispose();
    for (const t of this.#owned) disposeTensor(this.#gpu, t);
    for (const b of this.#ownedBuffers) this.#gpu.release(b);
    this.#ops = [];
    this.#opLayers = [];
    this.#owned = [];
    this.#ownedBuffers = [];
  }
}

function buildOp(ctx: OpContext & { seed: number }, node: Node, b: OpBuffers): Promise<BuiltOp> {
  switch (node.op) {
    case 'conv2d':
      return buildConv(ctx, node, b);
    case 'dense':
      return buildDense(ctx, node, b);
    case 'max-pool':
    case 'avg-pool':
      return buildPool(ctx, node, b);
    case 'global-avg-pool':
      return buildGlobalPool(ctx, node, b);
    case 'activation':
      return buildActivation(ctx, node, b);
    case 'batch-norm':
      return buildBatchNorm(ctx, node, b);
    case 'dropout':
      return ctx.train ? buildDropout(ctx, node, b) : Promise.resolve({ forward: [], backward: [], dispose: () => {} });
    case 'flatten':
      return Promise.resolve({ forward: [], backward: [], dispose: () => {} });
    default:
      throw new Error(`unknown node ${(node satisfies never as Node).op}`);
  }
}
