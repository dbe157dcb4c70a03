import "server-only";

/** Encodes mono samples as a RIFF WAV: 16-bit PCM, or 32-bit IEEE float when `float` (keeps NaN as-is). */
export function encodeWav(samples: Float32Array, sampleRate: number, opts: { float?: boolean } = {}): Buffer {
  const float = opts.float ?? false;
  const bytesPer = float ? 4 : 2;
  const data = samples.length * bytesPer;
  const b = Buffer.alloc(44 + data);
  b.write("RIFF", 0, "ascii");
  b.writeUInt32LE(36 + data, 4);
  b.write("WAVEfmt ", 8, "ascii");
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(float ? 3 : 1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(sampleRate, 24);
  b.writeUInt32LE(sampleRate * bytesPer, 28);
  b.writeUInt16LE(bytesPer, 32);
  b.writeUInt16LE(bytesPer * 8, 34);
  b.write("data", 36, "ascii");
  b.writeUInt32LE(data, 40);
  for (let i = 0; i < samples.length; i++) {
    if (float) b.writeFloatLE(samples[i]!, 44 + 4 * i);
    else b.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(samples[i]! * 32767))), 44 + 2 * i);
  }
  return b;
}

/** Decodes a RIFF WAV (PCM 16-bit or float 32-bit) to mono float samples; other layouts need ffmpeg. */
export function decodeWav(bytes: Uint8Array): { samples: Float32Array; sampleRate: number } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 12 || b.toString("ascii", 0, 4) !== "RIFF" || b.toString("ascii", 8, 12) !== "WAVE") {
    throw new Error("not a RIFF/WAVE file");
  }
  let fmt: { format: number; channels: number; rate: number; bits: number } | null = null;
  for (let p = 12; p + 8 <= b.length; ) {
    const id = b.toString("ascii", p, p + 4);
    const size = b.readUInt32LE(p + 4);
    const body = p + 8;
    if (id === "fmt ") {
      fmt = { format: b.readUInt16LE(body), channels: b.readUInt16LE(body + 2), rate: b.readUInt32LE(body + 4), bits: b.readUInt16LE(body + 14) };
    } else if (id === "data" && fmt) {
      const end = Math.min(b.length, body + size);
      const step = (fmt.bits / 8) * fmt.channels;
      const n = Math.floor((end - body) / step);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        let acc = 0;
        for (let c = 0; c < fmt.channels; c++) {
          const at = body + i * step + (c * fmt.bits) / 8;
          if (fmt.format === 1 && fmt.bits === 16) acc += b.readInt16LE(at) / 32768;
          else if (fmt.format === 3 && fmt.bits === 32) acc += b.readFloatLE(at);
          else throw new Error(`unsupported WAV encoding (format ${fmt.format}, ${fmt.bits} bits)`);
        }
        out[i] = acc / fmt.channels;
      }
      return { samples: out, sampleRate: fmt.rate };
    }
    p = body + size + (size & 1);
  }
  throw new Error("WAV has no fmt/data chunk");
}
