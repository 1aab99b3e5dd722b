// Why: ONNX files are Protocol Buffers. Writing the few message kinds an ONNX model needs takes a
// hundred lines, far less than a protobuf library and its generated code: a message is a list of
// (field number, wire type, value) records; varints for integers, little-endian fixed32 for floats,
// a length prefix for strings, bytes and nested messages.

/** Builds one message; nested messages are built by their own writer and added with `message`. */
export class ProtoWriter {
  #chunks: Uint8Array[] = [];
  #length = 0;

  #push(bytes: Uint8Array): void {
    this.#chunks.push(bytes);
    this.#length += bytes.length;
  }

  #varint(value: bigint): void {
    if (value < 0n) value += 1n << 64n; // negative int64: two's complement, ten bytes
    const out: number[] = [];
    do {
      let byte = Number(value & 0x7fn);
      value >>= 7n;
      if (value > 0n) byte |= 0x80;
      out.push(byte);
    } while (value > 0n);
    this.#push(Uint8Array.from(out));
  }

  #key(field: number, wire: 0 | 2 | 5): void {
    this.#varint(BigInt((field << 3) | wire));
  }

  /** int32 / int64 / enum / bool field (varint). */
  int(field: number, value: number | bigint): this {
    this.#key(field, 0);
    this.#varint(BigInt(value));
    return this;
  }

  /** float field (fixed32, little-endian). */
  float(field: number, value: number): this {
    this.#key(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.#push(b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.#key(field, 2);
    this.#varint(BigInt(value.length));
    this.#push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  message(field: number, value: ProtoWriter): this {
    return this.bytes(field, value.finish());
  }

  /** A repeated int64 field, packed (one length-delimited record of varints). */
  packedInts(field: number, values: readonly number[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.#varint(BigInt(v));
    return this.bytes(field, inner.finish());
  }

  /** A repeated float field, packed. */
  packedFloats(field: number, values: readonly number[]): this {
    const b = new Uint8Array(4 * values.length);
    const view = new DataView(b.buffer);
    values.forEach((v, i) => view.setFloat32(4 * i, v, true));
    return this.bytes(field, b);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.#length);
    let at = 0;
    for (const c of this.#chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}
