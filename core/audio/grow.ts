/**
 * Appends `x` after the first `used` samples of `buf`, doubling the buffer when it is full
 * (amortised O(1) per sample for streaming pushes). Returns the buffer to keep: `buf` or its successor.
 */
export function appendSamples(buf: Float32Array<ArrayBuffer>, used: number, x: Float32Array): Float32Array<ArrayBuffer> {
  let out = buf;
  if (used + x.length > buf.length) {
    out = new Float32Array(Math.max(buf.length * 2, used + x.length));
    out.set(buf.subarray(0, used));
  }
  out.set(x, used);
  return out;
}
