import { describe, expect, it } from 'vitest';
import { assignGradBuffers, type GradNode } from './grad-buffers';

const n = (key: string, inputs: string[], alias = false): GradNode => ({ key, inputs, alias });
const noGrad = new Set(['input']);

describe('gradient buffers by liveness', () => {
  it('a chain ping-pongs two buffers', () => {
    const a = assignGradBuffers([n('c1', ['input']), n('c2', ['c1']), n('c3', ['c2']), n('fc', ['c3'])], noGrad);
    expect(a.count).toBe(2);
    expect(a.dy).toEqual([1, 0, 1, 0]);
    expect(a.dx).toEqual([[null], [1], [0], [1]]);
    expect(a.sums.flat()).toEqual([]);
  });

  it('a flatten shares its gradient buffer', () => {
    const a = assignGradBuffers([n('c1', ['input']), n('f', ['c1'], true), n('fc', ['f'])], noGrad);
    expect(a.count).toBe(2);
    expect(a.dx[1]).toEqual([a.dy[1]]);
  });

  it('an identity block: the input gradient is the body part plus the sum gradient, summed after the body', () => {
    // stem → [a → b] + stem → add → relu → fc
    const nodes = [n('stem', ['input']), n('a', ['stem']), n('b', ['a']), n('add', ['b', 'stem'], true), n('relu', ['add']), n('fc', ['relu'])];
    const g = assignGradBuffers(nodes, noGrad);
    // The sum's two input gradients are its own output gradient.
    expect(g.dx[3]).toEqual([g.dy[3], g.dy[3]]);
    // The stem's gradient is summed right after `a` (its last reader in backward order).
    expect(g.sums[1]).toEqual([{ key: 'stem', a: g.dy[3], b: g.dx[1]![0], c: g.dy[0] }]);
    const { a, b, c } = g.sums[1]![0]!;
    expect(new Set([a, b, c]).size).toBe(3);
    // While b and a run backward (b reads the sum's gradient as its own dy), nothing writes over the
    // shortcut's share (the sum's gradient).
    expect(g.dy[2]).toBe(g.dy[3]);
    expect([g.dx[2]![0], g.dx[1]![0]]).not.toContain(g.dy[3]);
    expect(g.count).toBe(3);
  });

  it('a projection block and a nested block at the same input sum three parts', () => {
    // x read by: inner body `a`, inner add (identity), outer projection `p`.
    const nodes = [n('x', ['input']), n('a', ['x']), n('iadd', ['a', 'x'], true), n('p', ['x']), n('oadd', ['iadd', 'p'], true), n('fc', ['oadd'])];
    const g = assignGradBuffers(nodes, noGrad);
    const sums = g.sums.flat();
    expect(sums.map((s) => s.key)).toEqual(['x', 'x']);
    // flat() lists by node; backward runs them in reverse: the sum after `a` comes last.
    expect(sums[0]!.c).toBe(g.dy[0]);
    for (const s of sums) expect(new Set([s.a, s.b, s.c]).size).toBe(3);
  });

  it('the network input needs no gradient, even when a block reads it', () => {
    const g = assignGradBuffers([n('a', ['input']), n('add', ['a', 'input'], true), n('fc', ['add'])], noGrad);
    expect(g.dx[0]).toEqual([null]);
    expect(g.dx[1]).toEqual([g.dy[1], null]);
    expect(g.sums.flat()).toEqual([]);
  });
});
