// Why: backward needs a gradient buffer for every tensor, but only a few are alive at a time. Along a
// chain two buffers ping-pong (an op reads dy from one and writes dx to the other). A residual block
// breaks the chain: its input is read by the body and by the shortcut, so its gradient is the SUM of
// two contributions, and the shortcut's contribution must stay alive while the body's backward runs.
// This assigns buffers by liveness, in backward order: each op writes every dx into a buffer no live
// gradient uses; a tensor read by several nodes collects one partial gradient per reader and is summed
// (c = a + b, the add kernel) as soon as the last reader's backward has run. Ops that only re-label
// their gradient (flatten, the residual sum: both inputs get dy unchanged) share dy's buffer.
// Pure bookkeeping (no GPU): the planner and the memory estimate both run it.
import { INPUT_KEY, type Node } from './nodes';

export interface GradNode {
  key: string;
  inputs: readonly string[];
  /** True when the node's input gradients are its output gradient itself (flatten, add). */
  alias: boolean;
}

/** One gradient sum, run after a node's backward: buffers[c] = buffers[a] + buffers[b] for tensor `key`. */
export interface GradSum {
  key: string;
  a: number;
  b: number;
  c: number;
}

export interface GradAssignment {
  /** How many gradient buffers (each as large as the largest gradient). */
  count: number;
  /** The buffer the loss writes the logits' gradient into. */
  logits: number;
  /** Per node: the buffer holding the gradient of its output. */
  dy: number[];
  /** Per node, per input: where its backward writes that input's gradient (null: none needed). */
  dx: (number | null)[][];
  /** Per node: the sums to run right after its backward. */
  sums: GradSum[][];
}

/** `noGrad`: tensors whose gradient nobody needs (the network's input). */
export function assignGradBuffers(nodes: readonly GradNode[], noGrad: ReadonlySet<string>): GradAssignment {
  const readers = new Map<string, number>();
  for (const n of nodes) for (const k of n.inputs) readers.set(k, (readers.get(k) ?? 0) + 1);
  const refs: number[] = [];
  const acquire = (): number => {
    let b = refs.findIndex((r) => r === 0);
    if (b < 0) {
      b = refs.length;
      refs.push(0);
    }
    refs[b] = 1;
    return b;
  };
  const release = (b: number) => {
    refs[b]! -= 1;
  };
  const grad = new Map<string, number>();
  const seen = new Map<string, number>();
  const last = nodes[nodes.length - 1];
  const logits = acquire();
  if (last) grad.set(last.key, logits);
  const dy: number[] = new Array<number>(nodes.length).fill(-1);
  const dx: (number | null)[][] = nodes.map(() => []);
  const sums: GradSum[][] = nodes.map(() => []);

  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    const g = grad.get(node.key);
    if (g === undefined) throw new Error(`internal: no gradient for ${node.key} (nothing reads it)`);
    dy[i] = g;
    // First every write of this node's backward (each dx apart from dy and from any live gradient) …
    for (const k of node.inputs) {
      if (noGrad.has(k)) {
        dx[i]!.push(null);
      } else if (node.alias) {
        refs[g]! += 1;
        dx[i]!.push(g);
      } else dx[i]!.push(acquire());
    }
    // … then dy is done with, and the sums that run after the backward may reuse its buffer.
    release(g);
    node.inputs.forEach((k, j) => {
      const b = dx[i]![j];
      if (b === null || b === undefined) return;
      const acc = grad.get(k);
      if (acc === undefined) grad.set(k, b);
      else {
        // A second (third …) reader: sum into a fresh buffer and free both parts.
        const c = acquire();
        sums[i]!.push({ key: k, a: acc, b, c });
        release(acc);
        release(b);
        grad.set(k, c);
      }
      seen.set(k, (seen.get(k) ?? 0) + 1);
    });
  }
  for (const [k, n] of seen) {
    if (n !== readers.get(k)) throw new Error(`internal: ${k} got ${n} gradients from ${readers.get(k)} readers`);
  }
  return { count: refs.length, logits, dy, dx, sums };
}

/** The planner's nodes as the assignment sees them; the network's input needs no gradient. */
export function assignNodeGrads(nodes: readonly Node[]): GradAssignment {
  const gradNodes = nodes.map((n) => ({ key: n.key, inputs: n.inputs, alias: n.op === 'flatten' || n.op === 'add' }));
  return assignGradBuffers(gradNodes, new Set([INPUT_KEY]));
}
