/** Mean absolute difference of two equally sized luma thumbnails, 0..255. */
export function thumbDiff(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return a.length ? s / a.length : 0;
}

/** The q-quantile (0..1) of some numbers (0 for none). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((x, y) => x - y);
  return s[Math.min(s.length - 1, Math.max(0, Math.round(q * (s.length - 1))))]!;
}

/** Box-filtered luma thumbnail (side × side) of a square region of an RGB(A) image. */
export function lumaThumb(px: Uint8Array, width: number, channels: 3 | 4, region: { x: number; y: number; size: number }, side: number, height = Infinity): Uint8Array {
  const out = new Uint8Array(side * side);
  const cell = region.size / side;
  for (let ty = 0; ty < side; ty++) {
    for (let tx = 0; tx < side; tx++) {
      let s = 0, n = 0;
      const x0 = Math.floor(region.x + tx * cell), x1 = Math.max(x0 + 1, Math.floor(region.x + (tx + 1) * cell));
      const y0 = Math.floor(region.y + ty * cell), y1 = Math.max(y0 + 1, Math.floor(region.y + (ty + 1) * cell));
      // Sparse sampling (every other pixel) is plenty for a 24 px thumbnail and halves the cost.
      for (let y = y0; y < y1; y += 2) {
        if (y < 0 || y >= height) continue;
        for (let x = x0; x < x1; x += 2) {
          if (x < 0 || x >= width) continue;
          const o = (y * width + x) * channels;
          s += 0.299 * px[o]! + 0.587 * px[o + 1]! + 0.114 * px[o + 2]!;
          n++;
        }
      }
      out[ty * side + tx] = n ? Math.round(s / n) : 0;
    }
  }
  return out;
}
