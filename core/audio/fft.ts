/** In-place iterative radix-2 FFT on split real/imaginary arrays; size must be a power of two. */
export type Fft = (re: Float64Array, im: Float64Array) => void;

/**
 * Builds an FFT of `size` points with precomputed bit reversal and per-stage
 * twiddles laid out contiguously (the viseme engine runs 100 of these per
 * audio second on every stream, so the inner loop avoids strided lookups).
 * The first two stages have trivial twiddles (1 and -i) and are done together.
 */
export function createFft(size: number): Fft {
  if (size < 2 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size must be a power of two, got ${size}`);
  const bits = Math.log2(size);
  const rev = new Uint32Array(size);
  for (let i = 0; i < size; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    rev[i] = r;
  }
  // the twiddles of the stage of length `len` start at offset len/2 - 1, stage after stage
  const twr = new Float64Array(size);
  const twi = new Float64Array(size);
  for (let len = 2, off = 0; len <= size; len <<= 1) {
    const half = len >> 1;
    for (let k = 0; k < half; k++) {
      twr[off + k] = Math.cos((2 * Math.PI * k) / len);
      twi[off + k] = -Math.sin((2 * Math.PI * k) / len);
    }
    off += half;
  }
  return (re, im) => {
    for (let i = 0; i < size; i++) {
      const j = rev[i]!;
      if (j > i) {
        const tr = re[i]!;
        re[i] = re[j]!;
        re[j] = tr;
        const ti = im[i]!;
        im[i] = im[j]!;
        im[j] = ti;
      }
    }
    let len = 2;
    let off = 0;
    if (size >= 4) {
      // stages len 2 and len 4 in one pass: twiddles 1 and -i
      for (let a = 0; a < size; a += 4) {
        const r0 = re[a]! + re[a + 1]!;
        const i0 = im[a]! + im[a + 1]!;
        const r1 = re[a]! - re[a + 1]!;
        const i1 = im[a]! - im[a + 1]!;
        const r2 = re[a + 2]! + re[a + 3]!;
        const i2 = im[a + 2]! + im[a + 3]!;
        const r3 = re[a + 2]! - re[a + 3]!;
        const i3 = im[a + 2]! - im[a + 3]!;
        re[a] = r0 + r2;
        im[a] = i0 + i2;
        re[a + 2] = r0 - r2;
        im[a + 2] = i0 - i2;
        // (r3 + i i3) * (-i) = i3 - i r3
        re[a + 1] = r1 + i3;
        im[a + 1] = i1 - r3;
        re[a + 3] = r1 - i3;
        im[a + 3] = i1 + r3;
      }
      len = 8;
      off = 1 + 2; // skip the len-2 and len-4 stages' twiddles
    }
    for (; len <= size; len <<= 1) {
      const half = len >> 1;
      for (let start = 0; start < size; start += len) {
        for (let k = 0; k < half; k++) {
          const wr = twr[off + k]!;
          const wi = twi[off + k]!;
          const a = start + k;
          const b = a + half;
          const br = re[b]!;
          const bi = im[b]!;
          const xr = br * wr - bi * wi;
          const xi = br * wi + bi * wr;
          const ar = re[a]!;
          const ai = im[a]!;
          re[b] = ar - xr;
          im[b] = ai - xi;
          re[a] = ar + xr;
          im[a] = ai + xi;
        }
      }
      off += half;
    }
  };
}

/**
 * Power spectrum |X[k]|^2, k = 0..size/2, of a real signal of `size` samples,
 * through one complex FFT of size/2 (the even/odd packing trick): half the work.
 */
export function createRealPowerSpectrum(size: number): (x: Float64Array, power: Float64Array) => void {
  const m = size / 2;
  const fft = createFft(m);
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  const cos = Float64Array.from({ length: m }, (_, k) => Math.cos((2 * Math.PI * k) / size));
  const sin = Float64Array.from({ length: m }, (_, k) => Math.sin((2 * Math.PI * k) / size));
  return (x, power) => {
    for (let n = 0; n < m; n++) {
      re[n] = x[2 * n]!;
      im[n] = x[2 * n + 1]!;
    }
    fft(re, im);
    power[0] = (re[0]! + im[0]!) ** 2;
    power[m] = (re[0]! - im[0]!) ** 2;
    for (let k = 1; k < m; k++) {
      const ar = re[k]!;
      const ai = im[k]!;
      const br = re[m - k]!;
      const bi = -im[m - k]!;
      const er = (ar + br) / 2;
      const ei = (ai + bi) / 2;
      const or = (ai - bi) / 2;
      const oi = -(ar - br) / 2;
      // X = E + W^k O with W^k = cos - i sin
      const xr = er + cos[k]! * or + sin[k]! * oi;
      const xi = ei + cos[k]! * oi - sin[k]! * or;
      power[k] = xr * xr + xi * xi;
    }
  };
}
