// Why: the user's dataset must survive a reload without asking for the files again. IndexedDB keeps
// it in the browser (typed arrays are stored as they are); one record, written in one transaction,
// so a failed or cancelled import never leaves half a dataset, and the previous one stays until the
// new one is complete.
import type { OwnDataset } from './dataset-import';

const DB = 'convplay-datasets';
const STORE = 'datasets';
const KEY = 'own';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new Error(`the browser's storage (IndexedDB) could not be opened: ${req.error?.message ?? 'unknown error'}`));
  });
}

async function run<T>(mode: IDBTransactionMode, f: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const req = f(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(req.result);
      tx.onerror = () => reject(new Error(`the browser's storage refused the dataset: ${tx.error?.message ?? req.error?.message ?? 'unknown error'}`));
      tx.onabort = () => reject(new Error(`the browser's storage refused the dataset: ${tx.error?.message ?? 'the write was aborted (quota?)'}`));
    });
  } finally {
    db.close();
  }
}

export const datasetStore = {
  async load(): Promise<OwnDataset | undefined> {
    if (typeof indexedDB === 'undefined') return undefined;
    return (await run('readonly', (s) => s.get(KEY) as IDBRequest<OwnDataset | undefined>)) ?? undefined;
  },
  async save(d: OwnDataset): Promise<void> {
    await run('readwrite', (s) => s.put(d, KEY));
  },
  async remove(): Promise<void> {
    if (typeof indexedDB === 'undefined') return;
    await run('readwrite', (s) => s.delete(KEY));
  },
};

/** What the page shows about storage: the dataset's bytes and the browser's use and quota. */
export async function storageReport(d?: OwnDataset): Promise<{ bytes: number; usage?: number; quota?: number }> {
  const bytes = d ? d.train.images.length + d.test.images.length + d.train.count + d.test.count : 0;
  const est = await navigator.storage?.estimate?.().catch(() => undefined);
  return { bytes, ...(est?.usage !== undefined && { usage: est.usage }), ...(est?.quota !== undefined && { quota: est.quota }) };
}
