import { MuxError } from "./errors";

/** Bytes backed by a plain ArrayBuffer: what Response, Blob and stream enqueue() accept without casts. */
export type Bytes = Uint8Array<ArrayBuffer>;

const utf8Encoder = new TextEncoder();
// fatal: a mux whose text is not valid UTF-8 is corrupt, not something to paper over with U+FFFD.
const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

/** UTF-8 bytes of a string. */
export function utf8(text: string): Bytes {
  return utf8Encoder.encode(text);
}

/** Decode UTF-8 strictly; invalid sequences are a `bad_utf8` MuxError. */
export function fromUtf8(bytes: Uint8Array, offset?: number): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    throw new MuxError("bad_utf8", "text is not valid UTF-8", offset);
  }
}

/** Little-endian appender over a pre-sized buffer (sizes are always known before encoding). */
export class ByteWriter {
  readonly bytes: Bytes;
  private readonly view: DataView;
  private pos = 0;

  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  u8(v: number): this {
    this.view.setUint8(this.pos, v);
    this.pos += 1;
    return this;
  }
  u16(v: number): this {
    this.view.setUint16(this.pos, v, true);
    this.pos += 2;
    return this;
  }
  u32(v: number): this {
    this.view.setUint32(this.pos, v, true);
    this.pos += 4;
    return this;
  }
  /** u64 as two u32 halves; callers pass safe integers only. */
  u64(v: number): this {
    this.u32(Math.floor(v / 0x1_0000_0000));
    return this.u32(v % 0x1_0000_0000);
  }
  raw(b: Uint8Array): this {
    this.bytes.set(b, this.pos);
    this.pos += b.length;
    return this;
  }
  /** Bytes written so far equal the pre-computed size; a mismatch is a bug in the encoder. */
  done(): Bytes {
    if (this.pos !== this.bytes.length) throw new Error(`mux encoder size mismatch: ${this.pos} != ${this.bytes.length}`);
    return this.bytes;
  }
}

/** Bounds-checked little-endian cursor over one record payload; overruns are `bad_record`. */
export class ByteReader {
  private readonly view: DataView;
  pos = 0;

  constructor(
    readonly bytes: Uint8Array,
    private readonly baseOffset: number,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }
  private need(n: number): void {
    if (this.remaining < n) throw new MuxError("bad_record", `payload too short: needs ${n} more bytes`, this.baseOffset + this.pos);
  }
  u8(): number {
    this.need(1);
    return this.view.getUint8(this.pos++);
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u64(): number {
    const hi = this.u32();
    const lo = this.u32();
    if (hi > 0x1f_ffff) throw new MuxError("bad_value", "u64 beyond 2^53", this.baseOffset + this.pos - 8);
    return hi * 0x1_0000_0000 + lo;
  }
  take(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  rest(): Uint8Array {
    return this.take(this.remaining);
  }
  get offset(): number {
    return this.baseOffset + this.pos;
  }
}
