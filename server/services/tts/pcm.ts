import "server-only";

// Byte-level helpers for PCM16 streams: bodies and pipes split bytes anywhere, including inside a
// sample, so an odd trailing byte is carried to the next piece instead of being dropped.

/** Turns arbitrary byte pieces into whole little-endian 16-bit samples. */
export class Pcm16Assembler {
  private carry: number | null = null;

  /** Samples completed by `bytes` (possibly empty). */
  push(bytes: Uint8Array): Int16Array {
    const lead = this.carry === null ? 0 : 1;
    const total = lead + bytes.length;
    const out = new Int16Array(total >> 1);
    // DataView reads little-endian whatever the host's byte order is.
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let src = 0;
    let dst = 0;
    if (this.carry !== null && bytes.length > 0) {
      out[dst++] = ((bytes[0]! << 8) | this.carry) << 16 >> 16;
      src = 1;
      this.carry = null;
    }
    for (; src + 1 < bytes.length; src += 2) out[dst++] = view.getInt16(src, true);
    if (src < bytes.length) this.carry = bytes[src]!;
    return dst === out.length ? out : out.subarray(0, dst);
  }

  /** Whether a half sample is pending (a truncated stream). */
  get pending(): boolean {
    return this.carry !== null;
  }
}

export type WavFormat = { sampleRate: number; channels: number; bitsPerSample: number; dataOffset: number };

/**
 * Parses a RIFF/WAVE header from the start of a stream; null while more bytes are needed. Streaming
 * writers (espeak-ng --stdout) put a placeholder size in the data chunk, so sizes are not trusted.
 */
export function parseWavHeader(bytes: Uint8Array): WavFormat | null {
  if (bytes.length < 12) return null;
  const ascii = (at: number) => String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
  if (ascii(0) !== "RIFF" || ascii(8) !== "WAVE") throw new Error("not a RIFF/WAVE stream");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 12;
  let format: Omit<WavFormat, "dataOffset"> | null = null;
  while (at + 8 <= bytes.length) {
    const id = ascii(at);
    const size = view.getUint32(at + 4, true);
    if (id === "data") {
      if (!format) throw new Error("WAV data chunk before its fmt chunk");
      return { ...format, dataOffset: at + 8 };
    }
    if (at + 8 + size > bytes.length) return null;
    if (id === "fmt ") {
      const audioFormat = view.getUint16(at + 8, true);
      if (audioFormat !== 1) throw new Error(`WAV format ${audioFormat} is not PCM`);
      format = { channels: view.getUint16(at + 10, true), sampleRate: view.getUint32(at + 12, true), bitsPerSample: view.getUint16(at + 22, true) };
    }
    at += 8 + size + (size & 1);
    if (at > 4096) throw new Error("WAV header longer than 4 KiB");
  }
  return null;
}

/** Joins byte pieces (used while a header is still incomplete). */
export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
