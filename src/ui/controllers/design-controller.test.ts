import { describe, expect, it } from 'vitest';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { getPreset } from '../../model';
import { MemoryDesignStorage } from './autosave';
import { DesignController, type DesignWindow } from './design-controller';
import { hashFor } from './url-state';

class FakeHost implements ReactiveControllerHost {
  updates = 0;
  controllers: ReactiveController[] = [];
  addController(c: ReactiveController) {
    this.controllers.push(c);
  }
  removeController() {}
  requestUpdate() {
    this.updates++;
  }
  get updateComplete() {
    return Promise.resolve(true);
  }
}

class FakeWindow implements DesignWindow {
  location = { hash: '' };
  #listeners = new Set<() => void>();
  history = {
    replaceState: (_d: unknown, _u: string, url?: string | URL | null) => {
      this.location.hash = String(url ?? '');
    },
  };
  addEventListener(_t: 'hashchange', l: () => void) {
    this.#listeners.add(l);
  }
  removeEventListener(_t: 'hashchange', l: () => void) {
    this.#listeners.delete(l);
  }
  navigate(hash: string) {
    this.location.hash = hash;
    for (const l of this.#listeners) l();
  }
}

const lenet = () => {
  const p = getPreset('lenet-5');
  return { spec: p.spec, train: p.train };
};

describe('DesignController', () => {
  it('opens the design in the link and writes every edit back to it', async () => {
    const win = new FakeWindow();
    win.location.hash = hashFor(lenet());
    const storage = new MemoryDesignStorage();
    const host = new FakeHost();
    const c = new DesignController(host, { window: win, storage, autosaveMs: 0 });
    await c.restored;
    expect(c.store.spec.layers[0]!.id).toBe('c1');
    expect(c.notice).toBeNull();
    expect(c.presetId).toBe('lenet-5');
    c.store.removeLayer('c1');
    expect(win.location.hash).toBe(hashFor(c.store.doc));
    expect(c.presetId).toBe('');
    await new Promise((r) => setTimeout(r, 10));
    expect(storage.value).toBe(hashFor(c.store.doc));
    expect(host.updates).toBeGreaterThan(0);
  });

  it('falls back to the default design with a notice on a malformed link', () => {
    const win = new FakeWindow();
    win.location.hash = '#v1.not-a-network';
    const c = new DesignController(new FakeHost(), { window: win, storage: null });
    expect(c.notice).toMatch(/could not be opened/);
    expect(c.store.spec.layers.length).toBeGreaterThan(0);
    expect(win.location.hash).toBe(hashFor(c.store.doc));
    c.dismissNotice();
    expect(c.notice).toBeNull();
  });

  it('restores the autosave when the link has no design, unless the user already edited', async () => {
    const saved = hashFor(lenet());
    const win = new FakeWindow();
    const c = new DesignController(new FakeHost(), { window: win, storage: new MemoryDesignStorage(saved) });
    await c.restored;
    expect(c.store.spec.layers[0]!.id).toBe('c1');
    expect(c.store.canUndo).toBe(false);
    expect(win.location.hash).toBe(saved);

    const win2 = new FakeWindow();
    const c2 = new DesignController(new FakeHost(), { window: win2, storage: new MemoryDesignStorage(saved) });
    c2.store.clear();
    await c2.restored;
    expect(c2.store.spec.layers).toEqual([]);
  });

  it('follows a pasted link (hashchange) as an undoable step', () => {
    const win = new FakeWindow();
    const host = new FakeHost();
    const c = new DesignController(host, { window: win, storage: null });
    for (const ctl of host.controllers) ctl.hostConnected?.();
    win.navigate(hashFor(lenet()));
    expect(c.store.spec.layers[0]!.id).toBe('c1');
    c.store.undo();
    expect(c.store.spec.layers[0]!.id).toBe('conv1');
    win.navigate('#garbage');
    expect(c.notice).toMatch(/could not be opened/);
    expect(c.store.spec.layers[0]!.id).toBe('conv1');
  });
});
