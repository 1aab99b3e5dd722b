// Why: a dataset arrives as files with their folder paths ("shapes/circle/1.png"): from a directory
// input (webkitRelativePath), from a folder dragged onto the page (the entries API walks it), or as a
// single .zip. This turns each of them into the same list the worker's import takes.
import type { ImportFile } from '../worker/protocol';

/** Files from an <input type=file> (webkitdirectory gives each its path inside the folder). */
export function filesFromInput(list: FileList | null): ImportFile[] {
  return [...(list ?? [])].map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry: FileSystemEntry, out: ImportFile[]): Promise<void> {
  if (entry.isFile) {
    out.push({ path: entry.fullPath.replace(/^\//, ''), file: await fileOf(entry as FileSystemFileEntry) });
  } else if (entry.isDirectory) {
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries answers in batches (100 in Chromium) until it returns none.
    for (let batch = await readEntries(reader); batch.length > 0; batch = await readEntries(reader)) {
      for (const e of batch) await walk(e, out);
    }
  }
}

/** Files (and whole folders) dropped on the page, with their paths. */
export async function filesFromDrop(dt: DataTransfer | null): Promise<ImportFile[]> {
  if (!dt) return [];
  // The entries must be taken synchronously, before the drop event's data goes away.
  const entries = [...dt.items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  if (entries.length === 0) return filesFromInput(dt.files);
  const out: ImportFile[] = [];
  for (const e of entries) await walk(e, out);
  return out;
}
