/** In-place iterative radix-2 FFT on split real/imaginary arrays; size must be a power of two. */
export type Fft = (re: Float64Array, im: Float64Array) => void;

/** Builds an FFT of `size` points with precomputed twiddles and bit reversal. */
export function createFft(size: number): Fft {
  if (size < 2 || (size & (size - 1)) !== 0) throw new RangeError(`FFT size must be a power of two, got ${size}`);
  const bits = Math.log2(size);
  const rev = new Uint32Array(size);
  for (let i = 0; i < size; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    rev[i] = r;
  }
  const cos = new Float64Array(size / 2);
  const sin = new Float64Array(size / 2);
  for (let i = 0; i < size / 2; i++) {
    cos[i] = Math.cos((2 * Math.PI * i) / size);
    sin[i] = -Math.sin((2 * Math.PI * i) / size);
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
    for (let len = 2; len <= size; len <<= 1) {
      const half = len >> 1;
      const step = size / len;
      for (let start = 0; start < size; start += len) {
        for (let k = 0; k < half; k++) {
          const wr = cos[k * step]!;
          const wi = sin[k * step]!;
          const a = start + k;
          const b = a + half;
          const xr = re[b]! * wr - im[b]! * wi;
          const xi = re[b]! * wi + im[b]! * wr;
          re[b] = re[a]! - xr;
          im[b] = im[a]! - xi;
          re[a] = re[a]! + xr;
          im[a] = im[a]! + xi;
        }
      }
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
