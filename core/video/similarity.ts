import { FLOATS_PER_VERTEX } from "../render/model";

/**
 * A 2-D similarity x' = a·x − b·y + tx, y' = b·x + a·y + ty (scale·cos, scale·sin): how a source
 * frame's face sits relative to the reference frame's, in crop-normalised coordinates.
 */
export type Similarity = [a: number, b: number, tx: number, ty: number];

export const IDENTITY: Similarity = [1, 0, 0, 0];

/** Least-squares similarity mapping `from` onto `to` (same length, ≥ 2 points); identity when degenerate. */
export function fitSimilarity(from: readonly (readonly [number, number])[], to: readonly (readonly [number, number])[]): Similarity {
  const n = Math.min(from.length, to.length);
  if (n < 2) return [...IDENTITY];
  let fx = 0, fy = 0, gx = 0, gy = 0;
  for (let i = 0; i < n; i++) {
    fx += from[i]![0]; fy += from[i]![1]; gx += to[i]![0]; gy += to[i]![1];
  }
  fx /= n; fy /= n; gx /= n; gy /= n;
  let sxx = 0, sab = 0, sba = 0;
  for (let i = 0; i < n; i++) {
    const x = from[i]![0] - fx, y = from[i]![1] - fy;
    const u = to[i]![0] - gx, v = to[i]![1] - gy;
    sxx += x * x + y * y;
    sab += x * u + y * v;
    sba += x * v - y * u;
  }
  if (!(sxx > 1e-12)) return [...IDENTITY];
  const a = sab / sxx, b = sba / sxx;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return [...IDENTITY];
  return [a, b, gx - (a * fx - b * fy), gy - (b * fx + a * fy)];
}

/** Applies `s` to every vertex's position, texture coordinate and anchor (deformFrame's layout), in place. */
export function transformVertices(vertices: Float32Array, s: Similarity): void {
  const [a, b, tx, ty] = s;
  for (let o = 0; o < vertices.length; o += FLOATS_PER_VERTEX) {
    for (const k of [0, 2, 8]) {
      const x = vertices[o + k]!, y = vertices[o + k + 1]!;
      vertices[o + k] = a * x - b * y + tx;
      vertices[o + k + 1] = b * x + a * y + ty;
    }
  }
}

/** Gaussian smoothing of a track (σ in samples), edges clamped: the mouth must not jitter with the landmarks. */
export function smoothTrack(track: readonly Similarity[], sigma: number): Similarity[] {
  const r = Math.max(1, Math.ceil(2.5 * sigma));
  const w = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
  return track.map((_, i) => {
    const acc: Similarity = [0, 0, 0, 0];
    let ws = 0;
    for (let j = -r; j <= r; j++) {
      const s = track[Math.min(track.length - 1, Math.max(0, i + j))]!;
      const wj = w[j + r]!;
      for (let k = 0; k < 4; k++) acc[k]! += wj * s[k]!;
      ws += wj;
    }
    return acc.map((v) => v / ws) as Similarity;
  });
}

/** Fills untracked samples (null) by linear interpolation between the tracked ones around them. */
export function interpolateTrack(track: readonly (Similarity | null)[]): Similarity[] {
  const known = track.flatMap((s, i) => (s ? [i] : []));
  if (known.length === 0) return track.map(() => [...IDENTITY]);
  return track.map((s, i) => {
    if (s) return s;
    const next = known.find((k) => k > i);
    const prev = [...known].reverse().find((k) => k < i);
    if (prev === undefined) return track[next!]!;
    if (next === undefined) return track[prev]!;
    const t = (i - prev) / (next - prev);
    const p = track[prev]!, q = track[next]!;
    return p.map((v, k) => v + (q[k]! - v) * t) as Similarity;
  });
}
