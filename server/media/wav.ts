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
