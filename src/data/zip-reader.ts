// Why: a user's dataset arrives as one .zip of class folders (and the app exports it that way). The
// browser inflates raw deflate itself (DecompressionStream('deflate-raw')), so reading a zip is its
// central directory, the local headers and a CRC check: no library. Anything damaged, encrypted,
// split or in an unknown compression method is refused with the entry's name and the reason.

export class ZipError extends Error {
  override name = 'ZipError';
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
  }
}

export interface ZipFileEntry {
  /** Path inside the archive, '/'-separated. */
  path: string;
  /** Uncompressed size (from the central directory). */
  size: number;
  /** Inflates (or copies) the entry and checks its CRC-32. */
  read(): Promise<Uint8Array>;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

async function inflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The end-of-central-directory record: the last 22 bytes, or earlier when a comment follows it. */
function findEnd(view: DataView, file: string): number {
  const min = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let at = view.byteLength - 22; at >= min; at--) if (view.getUint32(at, true) === EOCD) return at;
  throw new ZipError(file, view.byteLength < 22 ? `only ${view.byteLength} bytes: not a zip archive` : 'is not a zip archive, or it is truncated (no end-of-central-directory record)');
}

/** Lists a zip's files (folders left out); each entry is inflated only when read. */
export function readZip(bytes: Uint8Array, file = 'archive.zip'): ZipFileEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEnd(view, file);
  const count = view.getUint16(end + 10, true);
  const size = view.getUint32(end + 12, true);
  const start = view.getUint32(end + 16, true);
  if (view.getUint16(end + 4, true) !== 0 || count === 0xffff || start === 0xffffffff) throw new ZipError(file, 'split or ZIP64 archives are not supported; make a plain .zip');
  if (start + size > end) throw new ZipError(file, 'is truncated or damaged (its central directory lies outside the file)');
  const utf8 = new TextDecoder('utf-8');
  const latin1 = new TextDecoder('latin1');
  const entries: ZipFileEntry[] = [];
  let at = start;
  for (let k = 0; k < count; k++) {
    if (at + 46 > end || view.getUint32(at, true) !== CENTRAL) throw new ZipError(file, `is damaged: central directory entry ${k + 1} of ${count} is unreadable`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const packed = view.getUint32(at + 20, true);
    const unpacked = view.getUint32(at + 24, true);
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const nameBytes = bytes.subarray(at + 46, at + 46 + nameLength);
    const path = (flags & 0x0800 ? utf8 : latin1).decode(nameBytes).replace(/\\/g, '/');
    at += 46 + nameLength + extra + comment;
    if (path.endsWith('/')) continue;
    entries.push({
      path,
      size: unpacked,
      read: async () => {
        if (flags & 1) throw new ZipError(path, 'is encrypted; zip it again without a password');
        if (local + 30 > bytes.length || view.getUint32(local, true) !== LOCAL) throw new ZipError(path, 'is damaged in the archive (its local header is missing)');
        const dataStart = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
        if (dataStart + packed > bytes.length) throw new ZipError(path, 'is truncated in the archive');
        const raw = bytes.subarray(dataStart, dataStart + packed);
        let data: Uint8Array;
        if (method === 0) data = raw.slice();
        else if (method === 8) {
          try {
            data = await inflateRaw(raw);
          } catch {
            throw new ZipError(path, 'is damaged in the archive (its deflate stream does not inflate)');
          }
        } else throw new ZipError(path, `uses compression method ${method}; only stored and deflate are supported`);
        if (data.length !== unpacked || crc32(data) !== crc) throw new ZipError(path, 'is damaged in the archive (its CRC-32 does not match)');
        return data;
      },
    });
  }
  return entries;
}
