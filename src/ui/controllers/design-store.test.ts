import { describe, expect, it } from 'vitest';
import { parseDocument, DOCUMENT_FORMAT, DOCUMENT_VERSION, type LayerSpec } from '../../model';
import { applyPatch, DesignStore } from './design-store';
import { defaultDocument } from './url-state';

function emptyStore() {
  const changes: string[] = [];
  const doc = defaultDocument();
  const store = new DesignStore({ ...doc, spec: { ...doc.spec, layers: [] } }, (k) => changes.push(k), { now: () => 0 });
  return { store, changes };
}

/** The document still parses (no stray fields crept in). */
function parses(store: DesignStore): boolean {
  return parseDocument({ format: DOCUMENT_FORMAT, version: DOCUMENT_VERSION, ...JSON.parse(JSON.stringify(store.doc)) }).ok;
}

describe('DesignStore', () => {
  it('builds conv → ReLU → max-pool → dense and reports the shapes from model/', () => {
    const { store } = emptyStore();
    expect(store.designValid).toBe(false);
    expect(store.readiness.reason).toMatch(/empty network/);
    const conv = store.addLayer('conv2d');
    store.updateLayer(conv, { K: 8 }, 'K');
    store.updateLayer(conv, { activation: null }, 'activation');
    store.addLayer('relu');
    store.addLayer('max-pool');
    store.addLayer('dense');
    expect(store.spec.layers.map((l) => l.id)).toEqual(['conv2d-1', 'relu-1', 'max-pool-1', 'dense-1']);
    expect(store.analysis.layers[0]).toMatchObject({ outShape: [8, 28, 28], params: 80 });
    expect(store.analysis.layers[2]!.outShape).toEqual([8, 14, 14]);
    expect(store.designValid).toBe(true);
    expect('activation' in store.spec.layers[0]!).toBe(false);
    expect(parses(store)).toBe(true);
    expect(store.selectedId).toBe('dense-1');
  });

  it('marks a stride that does not fit, disables training, and re-enables it when fixed', () => {
    const { store } = emptyStore();
    const conv = store.addLayer('conv2d');
    store.addLayer('dense');
    store.updateLayer(conv, { P: 0 }, 'P');
    store.updateLayer(conv, { S: 3 }, 'S');
    expect(store.analysis.layers[0]!.error?.reason).toMatch(/doesn't fit/);
    expect(store.designValid).toBe(false);
    expect(store.readiness.reason).toMatch(/Layer 1 \(conv2d-1\).*doesn't fit/);
    store.updateLayer(conv, { S: 1 }, 'S');
    expect(store.designValid).toBe(true);
  });

  it('adds at an index, moves, removes, and undoes each step', () => {
    const { store } = emptyStore();
    store.addLayer('conv2d');
    store.addLayer('dense');
    store.addLayer('relu', 1);
    expect(store.spec.layers.map((l) => l.kind)).toEqual(['conv2d', 'relu', 'dense']);
    expect(store.moveLayer('dense-1', 0)).toBe(true);
    expect(store.spec.layers.map((l) => l.kind)).toEqual(['dense', 'conv2d', 'relu']);
    expect(store.moveLayer('dense-1', 0)).toBe(false);
    expect(store.removeLayer('conv2d-1')).toBe(true);
    expect(store.removeLayer('nope')).toBe(false);
    expect(store.spec.layers.map((l) => l.kind)).toEqual(['dense', 'relu']);
    store.undo();
    expect(store.spec.layers.map((l) => l.kind)).toEqual(['dense', 'conv2d', 'relu']);
    store.undo();
    expect(store.spec.layers.map((l) => l.kind)).toEqual(['conv2d', 'relu', 'dense']);
    store.redo();
    store.redo();
    expect(store.spec.layers.map((l) => l.kind)).toEqual(['dense', 'relu']);
    expect(store.canRedo).toBe(false);
  });

  it('typing into one box is one undo step; documents are never mutated', () => {
    const { store } = emptyStore();
    const id = store.addLayer('conv2d');
    const before = store.doc;
    const snapshot = JSON.stringify(before);
    store.updateLayer(id, { K: 3 }, 'K');
    store.updateLayer(id, { K: 32 }, 'K');
    expect(JSON.stringify(before)).toBe(snapshot);
    store.undo();
    expect(store.doc).toBe(before);
  });

  it('presets, clear and input changes are undoable; selection follows the layers', () => {
    const { store, changes } = emptyStore();
    expect(store.loadPreset('lenet-5')).toBe(true);
    expect(store.loadPreset('nope')).toBe(false);
    expect(store.spec.layers[0]!.id).toBe('c1');
    store.select('c1');
    expect(store.selectedLayer?.id).toBe('c1');
    store.clear();
    expect(store.spec.layers).toEqual([]);
    expect(store.selectedId).toBeNull();
    store.undo();
    expect(store.spec.layers).toHaveLength(7);
    store.setInput('C', 3);
    expect(store.readiness.reason).toMatch(/1×28×28/);
    store.undo();
    expect(store.spec.input.C).toBe(1);
    expect(changes).toContain('select');
    expect(changes).toContain('history');
  });

  it('applyPatch only touches fields the layer kind has', () => {
    const relu: LayerSpec = { id: 'r', kind: 'relu' };
    expect(applyPatch(relu, { K: 3, activation: 'relu' })).toEqual(relu);
    const dense: LayerSpec = { id: 'd', kind: 'dense', units: 10, bias: true, activation: 'relu' };
    expect(applyPatch(dense, { units: 5, activation: null })).toEqual({ id: 'd', kind: 'dense', units: 5, bias: true });
  });
});

describe('residual blocks in the design store', () => {
  it('adds a block, moves layers into and out of it by keyboard and by drop, and undoes', () => {
    const { store } = emptyStore();
    const conv = store.addLayer('conv2d');
    const block = store.addLayer('residual');
    const inner = store.addLayer('conv2d');
    // Alt+→ on the layer below the block: into the block above it.
    expect(store.nestLayer(inner, 'in')).toBe(block);
    expect(store.spec.layers.map((l) => l.id)).toEqual([conv, block]);
    const b = store.spec.layers[1]!;
    expect(b.kind === 'residual' && b.body.map((l) => l.id)).toEqual([inner]);
    expect(store.nestLayer(conv, 'in')).toBeUndefined();
    // A new layer dropped into the block's body, then patched.
    const relu = store.addLayer('relu', 0, block);
    expect(store.updateLayer(block, { shortcut: 'projection', S: 2 })).toBe(true);
    const patched = store.spec.layers[1]!;
    expect(patched.kind === 'residual' && [patched.shortcut, patched.S, patched.body.map((l) => l.id)]).toEqual(['projection', 2, [relu, inner]]);
    // Alt+← takes it out, just after the block.
    expect(store.nestLayer(relu, 'out')).toBeNull();
    expect(store.spec.layers.map((l) => l.id)).toEqual([conv, block, relu]);
    expect(store.moveLayer(inner, 0, null)).toBe(true);
    expect(store.spec.layers.map((l) => l.id)).toEqual([inner, conv, block, relu]);
    store.select(block);
    expect(store.selectedItem?.id).toBe(block);
    expect(store.selectedLayer).toBeUndefined();
    expect(store.removeLayer(block)).toBe(true);
    expect(store.undo()).toBe(true);
    expect(store.spec.layers.map((l) => l.id)).toEqual([inner, conv, block, relu]);
    expect(parses(store)).toBe(true);
  });
});
