import type { Point } from "./rig";

/** Hermite smoothstep, as WGSL defines it (0 below e0, 1 above e1). */
export function smoothstep(e0: number, e1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

export function lerp(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}

/** y of a polyline (sorted by x) at x; flat beyond its ends. */
export function polylineY(poly: readonly Point[], x: number): number {
  const first = poly[0]!;
  const last = poly[poly.length - 1]!;
  if (x <= first[0]) return first[1];
  if (x >= last[0]) return last[1];
  for (let i = 1; i < poly.length; i++) {
    const b = poly[i]!;
    if (x <= b[0]) {
      const a = poly[i - 1]!;
      const span = b[0] - a[0];
      return span <= 1e-9 ? b[1] : lerp(a[1], b[1], (x - a[0]) / span);
    }
  }
  return last[1];
}

/** Rotates p by angle (radians) about c. */
export function rotateAbout(p: Point, c: Point, angle: number): Point {
  const s = Math.sin(angle);
  const k = Math.cos(angle);
  const dx = p[0] - c[0];
  const dy = p[1] - c[1];
  return [c[0] + dx * k - dy * s, c[1] + dx * s + dy * k];
}

/** Sorts by x and makes x strictly increasing, so the polyline is a function of x. */
export function asFunctionOfX(points: readonly Point[]): Point[] {
  const sorted = [...points].sort((a, b) => a[0] - b[0]);
  const out: Point[] = [];
  for (const p of sorted) {
    const prev = out[out.length - 1];
    if (prev && p[0] - prev[0] < 1e-6) prev[1] = (prev[1] + p[1]) / 2;
    else out.push([p[0], p[1]]);
  }
  return out;
}
