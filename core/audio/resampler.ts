/**
 * Streaming band-limited resampler (Kaiser-windowed sinc, any rate to any rate).
 * Output sample n sits at input position n * inRate / outRate computed from
 * integers, so chunking never changes the result: streaming == whole file.
 */
import { appendSamples } from "./grow";

const ZERO_CROSSINGS = 12;
const TABLE_RES = 512; // kernel samples per zero crossing; linear interpolation between them
const KAISER_BETA = 8;

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 30; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
  }
  return sum;
}

let kernelTable: Float64Array | null = null;
function kernel(): Float64Array {
  if (kernelTable) return kernelTable;
  const n = ZERO_CROSSINGS * TABLE_RES + 2;
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = i / TABLE_RES;
    const sinc = x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    const r = Math.min(1, x / ZERO_CROSSINGS);
    t[i] = sinc * (besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / besselI0(KAISER_BETA));
  }
  kernelTable = t;
  return t;
}

export class Resampler {
  private readonly table = kernel();
  private readonly scale: number; // < 1 when downsampling: widens the kernel, lowers the cutoff
  private readonly halfWidth: number; // input samples on each side
  private buf = new Float32Array(8192);
  private bufLen = 0;
  private bufStart = 0; // absolute index of buf[0]
  private received = 0;
  private produced = 0;

  constructor(
    readonly inRate: number,
    readonly outRate: number,
  ) {
    if (!Number.isInteger(inRate) || !Number.isInteger(outRate) || inRate <= 0 || outRate <= 0) {
      throw new RangeError(`sample rates must be positive integers, got ${inRate} -> ${outRate}`);
    }
    this.scale = Math.min(1, outRate / inRate) * 0.97; // cutoff a little under Nyquist
    this.halfWidth = Math.ceil(ZERO_CROSSINGS / this.scale);
  }

  /** Resamples the next chunk; returns the output samples that are now fully determined. */
  push(x: Float32Array): Float32Array {
    if (this.inRate === this.outRate) return x.slice();
    this.append(x);
    this.received += x.length;
    return this.emit(this.received - this.halfWidth);
  }

  /** Ends the stream (zeros after the end) and returns the remaining output. */
  flush(): Float32Array {
    if (this.inRate === this.outRate) return new Float32Array(0);
    this.append(new Float32Array(this.halfWidth + 1));
    const total = Math.ceil((this.received * this.outRate) / this.inRate);
    return this.emit(Infinity, total);
  }

  private append(x: Float32Array) {
    this.buf = appendSamples(this.buf, this.bufLen, x);
    this.bufLen += x.length;
  }

  /** Emits outputs whose rightmost needed input index is < `limit`, up to `total` outputs. */
  private emit(limit: number, total = Infinity): Float32Array {
    const out: number[] = [];
    const { table, scale, halfWidth, inRate, outRate } = this;
    for (;;) {
      const n = this.produced;
      if (n >= total) break;
      const num = n * inRate;
      const base = Math.floor(num / outRate);
      const frac = (num - base * outRate) / outRate;
      if (base + halfWidth >= limit) break;
      let acc = 0;
      for (let i = base - halfWidth + 1; i <= base + halfWidth; i++) {
        const idx = i - this.bufStart;
        if (i < 0 || idx >= this.bufLen) continue; // zeros before the start and past the end
        const pos = Math.abs(i - base - frac) * scale * TABLE_RES;
        const j = Math.floor(pos);
        if (j >= table.length - 1) continue;
        const w = table[j]! + (table[j + 1]! - table[j]!) * (pos - j);
        acc += this.buf[idx]! * w;
      }
      out.push(acc * scale);
      this.produced++;
    }
    // drop input no future output needs
    const nextBase = Math.floor((this.produced * inRate) / outRate);
    const drop = nextBase - halfWidth + 1 - this.bufStart;
    if (drop > 0 && drop <= this.bufLen) {
      this.buf.copyWithin(0, drop, this.bufLen);
      this.bufLen -= drop;
      this.bufStart += drop;
    }
    return Float32Array.from(out);
  }
}

/** Resamples a whole signal. */
export function resample(x: Float32Array, inRate: number, outRate: number): Float32Array {
  const r = new Resampler(inRate, outRate);
  const a = r.push(x);
  const b = r.flush();
  const out = new Float32Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
