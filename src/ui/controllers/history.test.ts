import { describe, expect, it } from 'vitest';
import { History } from './history';

describe('History', () => {
  it('undoes and redoes snapshots in order, and a new edit drops the redo branch', () => {
    const h = new History(0);
    expect(h.canUndo).toBe(false);
    h.push(1);
    h.push(2);
    expect(h.undo()).toBe(1);
    expect(h.undo()).toBe(0);
    expect(h.undo()).toBeUndefined();
    expect(h.present).toBe(0);
    expect(h.redo()).toBe(1);
    h.push(5);
    expect(h.canRedo).toBe(false);
    expect(h.redo()).toBeUndefined();
    expect(h.undo()).toBe(1);
  });

  it('coalesces quick pushes with the same key (typing "32" is one step)', () => {
    let t = 0;
    const h = new History('a', { coalesceMs: 1000, now: () => t });
    h.push('3', 'conv1.K');
    t = 200;
    h.push('32', 'conv1.K');
    expect(h.present).toBe('32');
    expect(h.undo()).toBe('a');
    h.redo();
    t = 5000; // too late: a new step
    h.push('320', 'conv1.K');
    expect(h.undo()).toBe('32');
  });

  it('does not coalesce across a different key or after an undo', () => {
    const h = new History(0, { now: () => 0 });
    h.push(1, 'a');
    h.push(2, 'b');
    expect(h.undo()).toBe(1);
    h.push(3, 'a');
    expect(h.undo()).toBe(1);
  });

  it('keeps at most `limit` steps and can be reset', () => {
    const h = new History(0, { limit: 3 });
    for (let i = 1; i <= 10; i++) h.push(i);
    let n = 0;
    while (h.undo() !== undefined) n++;
    expect(n).toBe(3);
    expect(h.present).toBe(7);
    h.reset(42);
    expect([h.present, h.canUndo, h.canRedo]).toEqual([42, false, false]);
  });
});
