/** Streams float samples at one rate into PCM16 at another; state carries over between chunks. */
export interface PcmResampler {
  process(input: Float32Array): Int16Array;
}

/**
 * Streaming PCM resampler for the microphone: float samples at the capture rate (44.1/48 kHz) in,
 * PCM16 at the session's input rate (16 kHz default) out. Downsampling first averages each output
 * period's input (a box low-pass, enough to keep sound above the output's Nyquist rate from folding
 * into the band a recogniser listens to), then interpolates linearly between the averaged samples.
 *
 * A plain function with closures, no class and nothing from outside its body: the AudioWorklet runs
 * this very function from its source text (mic-worklet.ts), which a bundler's class-field helpers
 * would break.
 */
export function createPcmResampler(inputRate: number, outputRate: number): PcmResampler {
  if (!(inputRate > 0 && outputRate > 0)) throw new RangeError("sample rates must be positive");
  const step = inputRate / outputRate;
  const width = Math.max(1, Math.round(step));
  const ring = new Float32Array(width);
  let ringAt = 0;
  let sum = 0;
  // Where the next output falls, in input samples from the start of the next chunk (-1..0: the previous chunk's last sample).
  let pos = 0;
  let prev = 0;
  return {
    process(input) {
      const n = input.length;
      const filtered = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const x = input[i]!;
        sum += x - ring[ringAt]!;
        ring[ringAt] = x;
        ringAt = (ringAt + 1) % width;
        filtered[i] = sum / width;
      }
      const out = new Int16Array(n - 1 >= pos ? Math.floor((n - 1 - pos) / step) + 1 : 0);
      let count = 0;
      let p = pos;
      while (p <= n - 1 && count < out.length) {
        const i = Math.floor(p);
        const frac = p - i;
        const a = i < 0 ? prev : filtered[i]!;
        const b = i + 1 <= n - 1 ? filtered[i + 1]! : a;
        const v = a + (b - a) * frac;
        const c = v < -1 ? -1 : v > 1 ? 1 : v;
        out[count++] = c < 0 ? Math.round(c * 0x8000) : Math.round(c * 0x7fff);
        p += step;
      }
      pos = p - n;
      if (n > 0) prev = filtered[n - 1]!;
      return out;
    },
  };
}
