import { cavityColor, type TeethSampler } from "./cavity";
import { FLOATS_PER_VERTEX, movableIndices, type MeshModel } from "./model";
import { resolvePalette, type CavityPalette } from "./mouth-palette";

const snap = (v: number) => Math.round(v * 256) / 256;

/** True when pixel centre x + 0.5 is inside edge A*x + e (ties only for the edge that owns them). */
function inside(A: number, e: number, owns: boolean, x: number): boolean {
  const v = A * (x + 0.5) + e;
  return v > 0 || (v === 0 && owns);
}

/** First x >= lo inside a rising edge (A > 0). The division only guesses; exact tests decide. */
function firstInside(A: number, e: number, owns: boolean, lo: number, hi: number): number {
  let x = Math.max(lo, Math.ceil(-e / A - 0.5));
  if (x > hi + 1) return hi + 1;
  while (x > lo && inside(A, e, owns, x - 1)) x--;
  while (x <= hi && !inside(A, e, owns, x)) x++;
  return x;
}

/** Last x <= hi inside a falling edge (A < 0). */
function lastInside(A: number, e: number, owns: boolean, lo: number, hi: number): number {
  let x = Math.min(hi, Math.floor(-e / A - 0.5));
  if (x < lo - 1) return lo - 1;
  while (x < hi && inside(A, e, owns, x + 1)) x++;
  while (x >= lo && !inside(A, e, owns, x)) x--;
  return x;
}

/** An RGBA8 image, row-major, no padding. */
export type RgbaImage = { width: number; height: number; data: Uint8Array | Uint8ClampedArray };

/**
 * The CPU rasteriser: the same triangles, texture sampling and inner-mouth shading as the WGSL
 * pipeline, in plain TypeScript so Node (server frames) and a browser worker (canvas2d tier)
 * share it. The portrait is copied first and only triangles that can move are redrawn, which is
 * also what keeps every pixel outside the head byte-identical to the portrait.
 */
export class SoftwareRasterizer implements TeethSampler {
  readonly size: number;
  private readonly movable: Uint32Array;
  private tex: Uint8Array | Uint8ClampedArray;
  private readonly tex32: Uint32Array;
  private readonly rgb = new Float32Array(3);
  private readonly palette: CavityPalette;
  private anchorX = 0;
  private anchorY = 0;
  private ownU = 0;
  private ownV = 0;
  private lastOut: Uint8Array | undefined;
  private dirty: [number, number, number, number] = [0, 0, 0, 0];
  /** Pixels the last render() may have changed relative to the one before, [x0, y0, x1, y1). */
  changed: [number, number, number, number] = [0, 0, 0, 0];

  constructor(
    readonly model: MeshModel,
    texture: RgbaImage,
  ) {
    if (texture.width !== texture.height) throw new Error("The framed portrait texture must be square.");
    this.size = texture.width;
    this.tex = texture.data;
    // An aligned 32-bit copy for the hot loop (texture.data may be an unaligned view).
    this.tex32 = new Uint32Array(texture.data.length / 4);
    new Uint8Array(this.tex32.buffer).set(texture.data);
    this.movable = movableIndices(model);
    this.palette = resolvePalette(model.rig, texture);
  }

  /**
   * Swaps in another texture of the same size (a source video's next frame); the next render()
   * starts from all of it.
   */
  setTexture(texture: RgbaImage): void {
    if (texture.width !== this.size || texture.height !== this.size) throw new Error("A replacement texture must have the renderer's size.");
    this.tex = texture.data;
    new Uint8Array(this.tex32.buffer).set(texture.data);
    this.lastOut = undefined;
  }

  /** Draws one frame (vertex buffer from deformFrame) into `out` (RGBA, size x size). */
  render(vertices: Float32Array, out: Uint8Array): void {
    this.restore(vertices, out);
    const idx = this.movable;
    for (let t = 0; t < idx.length; t += 3) {
      this.triangle(vertices, idx[t]! * FLOATS_PER_VERTEX, idx[t + 1]! * FLOATS_PER_VERTEX, idx[t + 2]! * FLOATS_PER_VERTEX, out);
    }
  }

  /** Puts the portrait back where the last frame drew (all of it for a new buffer), then widens the box to this frame. */
  private restore(vertices: Float32Array, out: Uint8Array): void {
    const S = this.size;
    let x0 = S, y0 = S, x1 = 0, y1 = 0;
    const idx = this.movable;
    for (let i = 0; i < idx.length; i += 3) {
      for (let j = 0; j < 3; j++) {
        const o = idx[i + j]! * FLOATS_PER_VERTEX;
        const x = vertices[o]! * S, y = vertices[o + 1]! * S;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
    const cur: [number, number, number, number] = [
      Math.max(0, Math.floor(x0) - 1), Math.max(0, Math.floor(y0) - 1), Math.min(S, Math.ceil(x1) + 1), Math.min(S, Math.ceil(y1) + 1),
    ];
    if (out !== this.lastOut) {
      out.set(this.tex);
      this.changed = [0, 0, S, S];
    } else {
      const d = this.dirty;
      const [rx0, ry0, rx1, ry1] = [Math.min(d[0], cur[0]), Math.min(d[1], cur[1]), Math.max(d[2], cur[2]), Math.max(d[3], cur[3])];
      for (let y = ry0; y < ry1; y++) out.set(this.tex.subarray((y * S + rx0) * 4, (y * S + rx1) * 4), (y * S + rx0) * 4);
      this.changed = [rx0, ry0, rx1, ry1];
    }
    this.lastOut = out;
    this.dirty = cur;
  }

  private triangle(v: Float32Array, a: number, b: number, c: number, out: Uint8Array): void {
    const S = this.size;
    // Vertices snap to 1/256 px like GPU rasterisers do; edge functions are then exact in float64,
    // so two triangles sharing an edge never both miss (or both claim) a pixel on it.
    const x0 = snap(v[a]! * S), y0 = snap(v[a + 1]! * S);
    const x1 = snap(v[b]! * S), y1 = snap(v[b + 1]! * S);
    const x2 = snap(v[c]! * S), y2 = snap(v[c + 1]! * S);
    const area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
    if (area === 0) return;
    const sg = area > 0 ? 1 : -1;
    const minY = Math.max(0, Math.ceil(Math.min(y0, y1, y2) - 0.5));
    const maxY = Math.min(S - 1, Math.floor(Math.max(y0, y1, y2) - 0.5));
    if (minY > maxY) return;
    // Edge i is opposite vertex i: E(p) = A*x + B*y + C, >= 0 inside (after the orientation sign).
    const A0 = sg * (y1 - y2), B0 = sg * (x2 - x1), C0 = sg * (x1 * y2 - x2 * y1);
    const A1 = sg * (y2 - y0), B1 = sg * (x0 - x2), C1 = sg * (x2 * y0 - x0 * y2);
    const A2 = sg * (y0 - y1), B2 = sg * (x1 - x0), C2 = sg * (x0 * y1 - x1 * y0);
    // Tie-break for pixels exactly on an edge: antisymmetric, so exactly one neighbour owns them.
    const t0 = A0 > 0 || (A0 === 0 && B0 > 0), t1 = A1 > 0 || (A1 === 0 && B1 > 0), t2 = A2 > 0 || (A2 === 0 && B2 > 0);
    const inv = 1 / (sg * area);
    const u0 = v[a + 2]! * S - 0.5, u1 = v[b + 2]! * S - 0.5, u2 = v[c + 2]! * S - 0.5;
    const q0 = v[a + 3]! * S - 0.5, q1 = v[b + 3]! * S - 0.5, q2 = v[c + 3]! * S - 0.5;
    // Texel coordinates are affine in the pixel position: T(x, y) = Tx*x + Ty*y + Tc.
    const Ux = (A0 * u0 + A1 * u1 + A2 * u2) * inv, Uy = (B0 * u0 + B1 * u1 + B2 * u2) * inv, Uc = (C0 * u0 + C1 * u1 + C2 * u2) * inv;
    const Vx = (A0 * q0 + A1 * q1 + A2 * q2) * inv, Vy = (B0 * q0 + B1 * q1 + B2 * q2) * inv, Vc = (C0 * q0 + C1 * q1 + C2 * q2) * inv;
    const cavity = v[a + 7]! >= 0;
    const t32 = this.tex32;
    const last = S - 1;
    const xMinAll = Math.max(0, Math.ceil(Math.min(x0, x1, x2) - 0.5));
    const xMaxAll = Math.min(last, Math.floor(Math.max(x0, x1, x2) - 0.5));
    for (let y = minY; y <= maxY; y++) {
      const py = y + 0.5;
      // Span of pixel centres inside all three half-planes on this row.
      let lo = xMinAll;
      let hi = xMaxAll;
      const e0 = B0 * py + C0, e1 = B1 * py + C1, e2 = B2 * py + C2;
      if (A0 > 0) lo = firstInside(A0, e0, t0, lo, hi);
      else if (A0 < 0) hi = lastInside(A0, e0, t0, lo, hi);
      else if (e0 < 0 || (e0 === 0 && !t0)) continue;
      if (A1 > 0) lo = firstInside(A1, e1, t1, lo, hi);
      else if (A1 < 0) hi = lastInside(A1, e1, t1, lo, hi);
      else if (e1 < 0 || (e1 === 0 && !t1)) continue;
      if (A2 > 0) lo = firstInside(A2, e2, t2, lo, hi);
      else if (A2 < 0) hi = lastInside(A2, e2, t2, lo, hi);
      else if (e2 < 0 || (e2 === 0 && !t2)) continue;
      let o = (y * S + lo) * 4;
      for (let x = lo; x <= hi; x++, o += 4) {
        const px = x + 0.5;
        if (cavity) {
          this.cavityPixel(v, a, b, c, (A0 * px + e0) * inv, (A1 * px + e1) * inv, (A2 * px + e2) * inv, out, o);
          continue;
        }
        let fu = Ux * px + Uy * py + Uc;
        let fv = Vx * px + Vy * py + Vc;
        fu = fu < 0 ? 0 : fu > last ? last : fu;
        fv = fv < 0 ? 0 : fv > last ? last : fv;
        const ix = fu | 0, iy = fv | 0;
        const ax = fu - ix, ay = fv - iy;
        // One 32-bit read per texel (RGBA little-endian) instead of three byte reads.
        const i00 = iy * S + ix;
        const i10 = ix < last ? i00 + 1 : i00;
        const i01 = iy < last ? i00 + S : i00;
        const i11 = i01 + (i10 - i00);
        const p00 = t32[i00]!, p10 = t32[i10]!, p01 = t32[i01]!, p11 = t32[i11]!;
        const k00 = (1 - ax) * (1 - ay), k10 = ax * (1 - ay), k01 = (1 - ax) * ay, k11 = ax * ay;
        out[o] = (p00 & 255) * k00 + (p10 & 255) * k10 + (p01 & 255) * k01 + (p11 & 255) * k11 + 0.5;
        out[o + 1] = ((p00 >>> 8) & 255) * k00 + ((p10 >>> 8) & 255) * k10 + ((p01 >>> 8) & 255) * k01 + ((p11 >>> 8) & 255) * k11 + 0.5;
        out[o + 2] = ((p00 >>> 16) & 255) * k00 + ((p10 >>> 16) & 255) * k10 + ((p01 >>> 16) & 255) * k01 + ((p11 >>> 16) & 255) * k11 + 0.5;
        out[o + 3] = 255;
      }
    }
  }

  private cavityPixel(v: Float32Array, a: number, b: number, c: number, w0: number, w1: number, w2: number, out: Uint8Array, o: number): void {
    this.anchorX = w0 * v[a + 8]! + w1 * v[b + 8]! + w2 * v[c + 8]!;
    this.anchorY = w0 * v[a + 9]! + w1 * v[b + 9]! + w2 * v[c + 9]!;
    const at = (k: number) => w0 * v[a + k]! + w1 * v[b + k]! + w2 * v[c + k]!;
    this.ownU = at(2);
    this.ownV = at(3);
    const rgb = this.rgb;
    cavityColor(at(4), at(5), at(6), at(7), this.model.mouthWidth, 1 / this.size, this, this.palette, rgb);
    out[o] = Math.min(255, Math.max(0, rgb[0]! * 255 + 0.5));
    out[o + 1] = Math.min(255, Math.max(0, rgb[1]! * 255 + 0.5));
    out[o + 2] = Math.min(255, Math.max(0, rgb[2]! * 255 + 0.5));
    out[o + 3] = 255;
  }

  /** TeethSampler: the portrait below the upper lip of the fragment being shaded. */
  sampleBelowLip(depth: number, dst: Float32Array): void {
    this.sample(this.anchorX + this.model.down[0] * depth, this.anchorY + this.model.down[1] * depth, dst);
  }

  /** TeethSampler: the portrait along the fragment's texture coordinate, extended away from the upper lip. */
  sampleBeyond(k: number, dst: Float32Array): void {
    const [dx, dy] = this.model.down;
    const lipU = this.anchorX - dx * (1.5 / this.size);
    const lipV = this.anchorY - dy * (1.5 / this.size);
    this.sample(this.ownU + (this.ownU - lipU) * k, this.ownV + (this.ownV - lipV) * k, dst);
  }

  /** Bilinear sample at a normalised texture coordinate, RGB 0..1 (clamp to edge, like the GPU sampler). */
  private sample(u: number, v: number, dst: Float32Array): void {
    const S = this.size;
    const last = S - 1;
    let fu = u * S - 0.5;
    let fv = v * S - 0.5;
    fu = fu < 0 ? 0 : fu > last ? last : fu;
    fv = fv < 0 ? 0 : fv > last ? last : fv;
    const ix = fu | 0, iy = fv | 0;
    const ax = fu - ix, ay = fv - iy;
    const r0 = (iy * S + ix) * 4;
    const dx = ix < last ? 4 : 0;
    const dy = iy < last ? S * 4 : 0;
    const t = this.tex;
    for (let ch = 0; ch < 3; ch++) {
      const top = t[r0 + ch]! + (t[r0 + dx + ch]! - t[r0 + ch]!) * ax;
      const bot = t[r0 + dy + ch]! + (t[r0 + dx + dy + ch]! - t[r0 + dy + ch]!) * ax;
      dst[ch] = (top + (bot - top) * ay) / 255;
    }
  }
}
