// The zip reader against the app's own zip writer (stored), a deflated entry made with the browser's
// CompressionStream, and damaged archives, each refused with the entry's name and the reason.
import { describe, expect, it } from 'vitest';
import { readZip, ZipError } from '../data/zip-reader';
import { crc32, zip } from '../export/zip';

const enc = new TextEncoder();

async function deflateRaw(bytes: Uint8Array): Promise<Uint8Array> {
  const s = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(s).arrayBuffer());
}

/** A one-entry zip with method 8 (deflate), as other zip tools write it. */
async function deflatedZip(name: string, data: Uint8Array): Promise<Uint8Array> {
  const packed = await deflateRaw(data);
  const n = enc.encode(name);
  const local = new Uint8Array(30 + n.length);
  const lv = new DataView(local.buffer);
  lv.setUint32(0, 0x04034b50, true);
  lv.setUint16(4, 20, true);
  lv.setUint16(8, 8, true);
  lv.setUint32(14, crc32(data), true);
  lv.setUint32(18, packed.length, true);
  lv.setUint32(22, data.length, true);
  lv.setUint16(26, n.length, true);
  local.set(n, 30);
  const central = new Uint8Array(46 + n.length);
  const cv = new DataView(central.buffer);
  cv.setUint32(0, 0x02014b50, true);
  cv.setUint16(10, 8, true);
  cv.setUint32(16, crc32(data), true);
  cv.setUint32(20, packed.length, true);
  cv.setUint32(24, data.length, true);
  cv.setUint16(28, n.length, true);
  central.set(n, 46);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, 1, true);
  ev.setUint16(10, 1, true);
  ev.setUint32(12, central.length, true);
  ev.setUint32(16, local.length + packed.length, true);
  const out = new Uint8Array(local.length + packed.length + central.length + end.length);
  out.set(local);
  out.set(packed, local.length);
  out.set(central, local.length + packed.length);
  out.set(end, local.length + packed.length + central.length);
  return out;
}

describe('zip reader', () => {
  it('reads stored entries, with folders and UTF-8 names, as written', async () => {
    const bytes = zip([
      { name: 'cats/1.png', data: Uint8Array.from([1, 2, 3]) },
      { name: 'chats rayés/2.png', data: 'deux' },
    ]);
    const entries = readZip(bytes);
    expect(entries.map((e) => [e.path, e.size])).toEqual([['cats/1.png', 3], ['chats rayés/2.png', 4]]);
    expect(Array.from(await entries[0]!.read())).toEqual([1, 2, 3]);
    expect(new TextDecoder().decode(await entries[1]!.read())).toBe('deux');
  });

  it('inflates deflated entries', async () => {
    const data = enc.encode('abcabcabc'.repeat(200));
    const [e] = readZip(await deflatedZip('dogs/a.txt', data));
    expect(e!.path).toBe('dogs/a.txt');
    expect(await e!.read()).toEqual(data);
  });

  it('refuses what is not a zip, or a truncated one, by the file name', () => {
    expect(() => readZip(enc.encode('hello'), 'notes.zip')).toThrow(/notes\.zip: only 5 bytes: not a zip archive/);
    const good = zip([{ name: 'a/b.png', data: 'x'.repeat(100) }]);
    expect(() => readZip(good.subarray(0, good.length - 30), 'cut.zip')).toThrow(ZipError);
    expect(() => readZip(new Uint8Array(300), 'zeros.zip')).toThrow(/zeros\.zip: is not a zip archive, or it is truncated/);
  });

  it('refuses a damaged entry by its name: wrong CRC, a deflate stream that does not inflate', async () => {
    const bytes = zip([{ name: 'cats/1.png', data: 'meow meow' }]);
    const at = 30 + 'cats/1.png'.length; // the first data byte
    bytes[at] = bytes[at]! ^ 0xff;
    await expect(readZip(bytes)[0]!.read()).rejects.toThrow(/cats\/1\.png: is damaged in the archive \(its CRC-32 does not match\)/);
    const deflated = await deflatedZip('dogs/a.txt', enc.encode('woof'.repeat(50)));
    deflated.fill(0xff, 30 + 10, 30 + 14);
    await expect(readZip(deflated)[0]!.read()).rejects.toThrow(/dogs\/a\.txt: is damaged in the archive/);
  });
});
