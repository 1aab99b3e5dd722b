// Why: a learner who closes the tab without copying the link should find their network again. The
// design is kept in IndexedDB in its URL-hash form, so restoring it goes through the same checks as
// opening a link.

/** Where the last design is kept between visits. */
export interface DesignStorage {
  load(): Promise<string | null>;
  save(hash: string): Promise<void>;
}

const DB = 'convplay';
const STORE = 'autosave';
const KEY = 'design';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB open failed'));
  });
}

function run<T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return open().then(
    (db) =>
      new Promise<T>((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const req = f(tx.objectStore(STORE));
        tx.oncomplete = () => {
          db.close();
          resolve(req.result);
        };
        tx.onerror = tx.onabort = () => {
          db.close();
          reject(tx.error ?? new Error('IndexedDB transaction failed'));
        };
      }),
  );
}

/** IndexedDB storage; failures (private mode, quota) are swallowed: autosave is a convenience. */
export class IndexedDbDesignStorage implements DesignStorage {
  async load(): Promise<string | null> {
    try {
      const v = await run<unknown>('readonly', (s) => s.get(KEY));
      return typeof v === 'string' ? v : null;
    } catch {
      return null;
    }
  }
  async save(hash: string): Promise<void> {
    try {
      await run('readwrite', (s) => s.put(hash, KEY));
    } catch {
      /* autosave is best effort */
    }
  }
}

/** In memory: for tests. */
export class MemoryDesignStorage implements DesignStorage {
  value: string | null;
  saves = 0;
  constructor(value: string | null = null) {
    this.value = value;
  }
  async load(): Promise<string | null> {
    return this.value;
  }
  async save(hash: string): Promise<void> {
    this.value = hash;
    this.saves++;
  }
}
