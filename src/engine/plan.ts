// Why: a network is planned once per (batch size, mode): every tensor allocated, every pipeline and
// bind group created. A training step is then a replay of the same dispatches — gather, forward, loss,
// backward, optimizer — in one compute pass, with only a few uniforms rewritten.
import type { BoundKernel, Encodable, Gpu } from '../gpu';
import { batchGather, batchGatherParams } from '../kernels/batch-gather';
import { softmaxCrossEntropy, softmaxCrossEntropyParams, STATS_SLOT_BYTES } from '../kernels/softmax-cross-entropy';
import { checkPlanFits, estimatePlanMemory } from './memory';
import { assignNodeGrads } from './grad-buffers';
import { INPUT_KEY, innerSize, type Node } from './nodes';
import { add } from '../kernels/add';
import { buildOp } from './ops';
import type { BuiltOp, OpBuffers, OpContext } from './ops/op';
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
  /** Per node: its input (x; x2 the second input of a sum), output, output gradient and backward. */
  readonly nodeTensors: { node: Node; x: Tensor; x2?: Tensor; y: Tensor; dy?: Tensor; backward: Encodable[] }[] = [];
  readonly gather?: BoundKernel;
  readonly loss?: BoundKernel;
  /** Class scores per image (the loss's classes). */
  readonly classes: number;
  /** The gather's per-channel normalisation (absent: MNIST's). */
  #norm: { mean?: readonly number[]; std?: readonly number[] } = {};
  #ops: BuiltOp[] = [];
  /** The gradient sums appended to ops' backward (disposed by the plan). */
  #sums: BoundKernel[] = [];
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

    // Forward tensors, by node key: flatten is a view; dropout in evaluation is the identity (a view
    // too). A node reads inputs[0] (and a residual sum inputs[1]).
    const tensors = new Map<string, Tensor>([[INPUT_KEY, input]]);
    const xs: Tensor[] = [];
    const ys: Tensor[] = [];
    for (const node of nodes) {
      const shape = [N, ...node.outShape];
      const x = tensors.get(node.inputs[0]!)!;
      const passThrough = node.op === 'flatten' || (node.op === 'dropout' && !o.train);
      const y = passThrough ? view(x, shape, node.layerId) : alloc(shape, `${node.layerId}:y`);
      xs.push(x);
      ys.push(y);
      tensors.set(node.key, y);
    }
    const logits = ys[ys.length - 1] ?? input;
    const CLASSES = o.classes;
    if (logits.size !== N * CLASSES) throw new Error(`the last layer gives ${logits.size / N} values per image, the loss needs ${CLASSES}`);

    // Backward: gradient buffers assigned by liveness (two ping-pong along a chain; a tensor read twice
    // sums its two gradients, see grad-buffers.ts) and a scratch for fused epilogues.
    const maxSize = Math.max(...ys.map((t) => t.size), input.size, ...nodes.map((n) => N * innerSize(n)));
    const assigned = o.train ? assignNodeGrads(nodes) : undefined;
    const grads = assigned ? Array.from({ length: assigned.count }, (_, k) => alloc([maxSize], `grad-${k}`)) : [];
    const scratch = o.train ? alloc([maxSize], 'grad-scratch') : undefined;

    let gather: BoundKernel | undefined;
    if (o.input.kind === 'gather') {
      gather = await batchGather(gpu, { images: o.input.images, labels: o.input.labels, indices: o.input.indices, x: input.buffer, y: labels, N, imageBytes: o.input.imageBytes, offset: 0, mean: o.input.mean, std: o.input.std });
    }
    const probs = o.probs ? alloc([N, CLASSES], 'probs') : undefined;
    const loss = await softmaxCrossEntropy(gpu, { logits: logits.buffer, labels, stats, dlogits: assigned ? grads[assigned.logits]!.buffer : undefined, probs: probs?.buffer, N, classes: CLASSES, slot: 0 });

    const bufs: OpBuffers[] = nodes.map((node, i) => {
      const b: OpBuffers = { x: xs[i]!, y: ys[i]! };
      if (node.inputs[1] !== undefined) b.x2 = tensors.get(node.inputs[1])!;
      if (!assigned) return b;
      const gradView = (k: number | null | undefined, t: Tensor, what: string) => (k === null || k === undefined ? null : view(grads[k]!, t.shape, `${node.layerId}:${what}`));
      b.dy = gradView(assigned.dy[i], ys[i]!, 'dy')!;
      b.dx = gradView(assigned.dx[i]![0], xs[i]!, 'dx');
      if (b.x2) b.dx2 = gradView(assigned.dx[i]![1], b.x2, 'dx2');
      b.scratch = scratch;
      return b;
    });

    const plan = new Plan(gpu, { N, train: o.train, input, labels, logits, probs, stats, statsSlots: o.statsSlots, gather, loss, classes: CLASSES });
    if (o.input.kind === 'gather') plan.#norm = { mean: o.input.mean, std: o.input.std };
    plan.#owned = owned;
    plan.#ownedBuffers = ownedBuffers;
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i]!;
      const ctx: OpContext = { gpu, N, train: o.train, store, ...o.declared[i]! };
      const op = await buildOp({ ...ctx, seed: o.seed }, node, bufs[i]!);
      // Gradient sums of tensors read twice, right after their last reader's backward.
      for (const sum of assigned?.sums[i] ?? []) {
        const kernel = await add(gpu, { a: grads[sum.a]!.buffer, b: grads[sum.b]!.buffer, c: grads[sum.c]!.buffer, n: tensors.get(sum.key)!.size });
        op.backward.push(kernel);
        plan.#sums.push(kernel);
      }
      plan.#ops.push(op);
      plan.#opLayers.push(node.layerId);
      for (const id of node.outputOf) plan.outputs.set(id, ys[i]!);
      plan.nodeTensors.push({ node, x: xs[i]!, x2: bufs[i]!.x2, y: ys[i]!, dy: bufs[i]!.dy, backward: plan.#ops[i]!.backward });
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
    for (const k of this.#sums) k.dispose();
    this.#sums = [];
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
