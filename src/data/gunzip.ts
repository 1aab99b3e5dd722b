// Why: the dataset files stay gzipped on disk and on the wire; the browser's own DecompressionStream
// inflates them (no library), and a damaged stream becomes a clear error naming the file.

export class GzipError extends Error {
  override name = 'GzipError';
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
  }
}

export async function gunzip(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  if (bytes.length < 18 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    throw new GzipError(file, 'is not a gzip file (missing the 1f 8b signature)');
  }
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch {
    // The browser's own words here are a bare "Failed to fetch", which would send the user looking
    // at their network: say what it means.
    throw new GzipError(file, 'is damaged or truncated (its gzip stream does not inflate)');
  }
}

/**
 * Some servers (Vite's among them) send a .gz file with `Content-Encoding: gzip`, and the browser
 * inflates it before we see it. IDX data starts with two zero bytes, gzip with 1f 8b: take either.
 */
export async function inflateIfGzipped(bytes: Uint8Array, file: string): Promise<Uint8Array> {
  if (bytes.length >= 2 && bytes[0] === 0 && bytes[1] === 0) return bytes;
  return gunzip(bytes, file);
}
