/** Sample-format helpers for the player; pure so they run and test anywhere. */

/** PCM16 → float32 in -1..1 (Web Audio's native format). */
export function pcm16ToFloat32(samples: Int16Array, out: Float32Array<ArrayBuffer> = new Float32Array(samples.length)): Float32Array<ArrayBuffer> {
  for (let i = 0; i < samples.length; i++) out[i] = samples[i]! / 32768;
  return out;
}

/** I420 (BT.601 limited range) → RGBA, for server frames sent uncompressed. */
export function i420ToRgba(data: Uint8Array, width: number, height: number, out = new Uint8ClampedArray(width * height * 4)): Uint8ClampedArray {
  const cw = Math.ceil(width / 2);
  const uOff = width * height;
  const vOff = uOff + cw * Math.ceil(height / 2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = (y >> 1) * cw + (x >> 1);
      const yy = 1.164 * (data[y * width + x]! - 16);
      const u = data[uOff + c]! - 128;
      const v = data[vOff + c]! - 128;
      const o = 4 * (y * width + x);
      out[o] = yy + 1.596 * v;
      out[o + 1] = yy - 0.392 * u - 0.813 * v;
      out[o + 2] = yy + 2.017 * u;
      out[o + 3] = 255;
    }
  }
  return out;
}
