import { asFunctionOfX, clamp, lerp, polylineY, rotateAbout } from "./geometry";
import type { Contour, Point, Rig, RigMesh } from "./rig";
import { assertFeatures, assertFinite, assertGeometry } from "./rig-check";

export type RigGeometry = Omit<Rig, "kind" | "version" | "mesh" | "region">;

/** What the face-local frame is defined by (in any units: crop-normalised in a rig, pixels before one). */
export type FaceAxes = { face: { center: Point; roll: number } };

/**
 * Face-local frame: origin at the face centre, rotated so the face is upright. The mesh rows
 * are built there so that they run along the lids and lips whatever the head's tilt.
 */
export function toLocal(g: FaceAxes, p: Point): Point {
  const q = rotateAbout(p, g.face.center, -g.face.roll);
  return [q[0] - g.face.center[0], q[1] - g.face.center[1]];
}

export function toImage(g: FaceAxes, q: Point): Point {
  return rotateAbout([q[0] + g.face.center[0], q[1] + g.face.center[1]], g.face.center, g.face.roll);
}

type LocalContour = { upper: Point[]; lower: Point[]; left: Point; right: Point };

function localContour(g: RigGeometry, c: Contour, corners?: [Point, Point]): LocalContour {
  const upper = asFunctionOfX(c.upper.map((p) => toLocal(g, p)));
  const lower = asFunctionOfX(c.lower.map((p) => toLocal(g, p)));
  // Both contours must meet at the same corners, or the seam would not close at its ends.
  const left: Point = corners?.[0] ?? [Math.min(upper[0]![0], lower[0]![0]), (upper[0]![1] + lower[0]![1]) / 2];
  const right: Point = corners?.[1] ?? [
    Math.max(upper[upper.length - 1]![0], lower[lower.length - 1]![0]),
    (upper[upper.length - 1]![1] + lower[lower.length - 1]![1]) / 2,
  ];
  const inner = (poly: Point[]) => poly.filter((p) => p[0] > left[0] + 1e-6 && p[0] < right[0] - 1e-6);
  return { upper: [left, ...inner(upper), right], lower: [left, ...inner(lower), right], left, right };
}

/** Line through two points, evaluated at x (flat outside them so it never runs away). */
function lineY(a: Point, b: Point, x: number): number {
  return lerp(a[1], b[1], clamp((x - a[0]) / (b[0] - a[0] || 1e-9), 0, 1));
}

/** Subdivides [a, b] into n equal steps, both ends included. */
function steps(a: number, b: number, n: number): number[] {
  return Array.from({ length: n + 1 }, (_, i) => (i === n ? b : lerp(a, b, i / n)));
}

export type LocalFeatures = {
  eyes: [LocalContour, LocalContour];
  mouth: { inner: LocalContour; outer: LocalContour };
  chinY: number;
  region: { x0: number; x1: number; y0: number; y1: number };
  /** Contour curves over the whole width, flat lines outside their spans. */
  curves: Record<"upperLid" | "lowerLid" | "upperOuter" | "upperInner" | "lowerInner" | "lowerOuter", (x: number) => number>;
};

/** The rig's contours in the face-local frame, extended to whole-width curves. */
export function localFeatures(g: RigGeometry): LocalFeatures {
  const eyes = g.eyes
    .map((e) => localContour(g, e))
    .sort((a, b) => a.left[0] - b.left[0]) as [LocalContour, LocalContour];
  const inner = localContour(g, g.mouth.inner);
  const outer = localContour(g, g.mouth.outer, [inner.left, inner.right]);
  const [le, re] = eyes;
  const eyeLine = (x: number) =>
    x < le.right[0] ? lineY(le.left, le.right, x) : x < re.left[0] ? lineY(le.right, re.left, x) : lineY(re.left, re.right, x);
  const lid = (pick: "upper" | "lower") => (x: number) => {
    for (const e of eyes) if (x > e.left[0] && x < e.right[0]) return polylineY(e[pick], x);
    return eyeLine(x);
  };
  const mouthLine = (x: number) => lineY(inner.left, inner.right, x);
  const lip = (c: LocalContour, pick: "upper" | "lower") => (x: number) =>
    x > inner.left[0] && x < inner.right[0] ? polylineY(c[pick], x) : mouthLine(x);
  const w = g.face.width;
  const h = g.face.height;
  const chinY = toLocal(g, g.face.chin)[1];
  const region = { x0: -1.0 * w, x1: 1.0 * w, y0: -1.0 * h, y1: chinY + 0.6 * h };
  return {
    eyes,
    mouth: { inner, outer },
    chinY,
    region,
    curves: {
      upperLid: lid("upper"),
      lowerLid: lid("lower"),
      upperOuter: lip(outer, "upper"),
      upperInner: lip(inner, "upper"),
      lowerInner: lip(inner, "lower"),
      lowerOuter: lip(outer, "lower"),
    },
  };
}

/**
 * Builds the curvilinear deformation grid whose rows run along the lids and lips. Throws
 * RigError (rig_degenerate) when the features have no extent to lay it out along.
 */
export function buildMesh(g: RigGeometry): { mesh: RigMesh; region: Rig["region"] } {
  assertGeometry(g);
  const f = localFeatures(g);
  assertFeatures(f);
  const { inner } = f.mouth;
  const mouthW = inner.right[0] - inner.left[0];
  const [le, re] = f.eyes;
  const r = f.region;
  // Columns: exact corner columns (the seams must close there), fine across eyes and mouth.
  // Corners closer than eps share one column (a wide mouth's corners right under the eye corners):
  // the mouth corner's x wins, since the lip seam must close exactly there; an eye corner is then
  // a fraction of a pixel off, which the lids do not show.
  const rank = new Map<number, number>();
  for (const [x, k] of [[le.left[0], 1], [le.right[0], 1], [re.left[0], 1], [re.right[0], 1], [inner.left[0], 2], [inner.right[0], 2]] as const) {
    rank.set(x, Math.max(k, rank.get(x) ?? 0));
  }
  const rankOf = (x: number) => rank.get(x) ?? 0;
  const xs = [r.x0, r.x1, ...steps(le.left[0], le.right[0], 6), ...steps(re.left[0], re.right[0], 6), ...steps(inner.left[0], inner.right[0], 12)]
    .sort((a, b) => a - b)
    .filter((x, i, all) => i === 0 || x - all[i - 1]! > 1e-9);
  const cols: number[] = [];
  const eps = 0.004 * mouthW;
  const maxStep = 0.3 * mouthW;
  for (const x of xs) {
    const last = cols[cols.length - 1];
    if (last !== undefined && x - last < eps) {
      if (rankOf(x) > rankOf(last)) cols[cols.length - 1] = x;
      continue;
    }
    if (last !== undefined && x - last > maxStep) {
      const n = Math.ceil((x - last) / maxStep);
      for (let i = 1; i < n; i++) cols.push(lerp(last, x, i / n));
    }
    cols.push(x);
  }
  const c = f.curves;
  const chin = (x: number) => Math.max(f.chinY, c.lowerOuter(x) + 0.1 * mouthW);
  const top = () => r.y0;
  const bottom = () => r.y1;
  const between = (a: (x: number) => number, b: (x: number) => number, t: number) => (x: number) => lerp(a(x), b(x), t);
  const rowCurves: ((x: number) => number)[] = [top];
  for (const t of [0.3, 0.55, 0.75, 0.9]) rowCurves.push(between(top, c.upperLid, t));
  const rowOf = { upperLid: 0, lowerLid: 0, upperOuterLip: 0, upperInnerLip: 0, lowerInnerLip: 0, lowerOuterLip: 0, chin: 0 };
  rowOf.upperLid = rowCurves.push(c.upperLid) - 1;
  rowOf.lowerLid = rowCurves.push(c.lowerLid) - 1;
  for (const t of [0.25, 0.5, 0.7, 0.85]) rowCurves.push(between(c.lowerLid, c.upperOuter, t));
  rowOf.upperOuterLip = rowCurves.push(c.upperOuter) - 1;
  rowOf.upperInnerLip = rowCurves.push(c.upperInner) - 1;
  rowOf.lowerInnerLip = rowCurves.push(c.lowerInner) - 1;
  rowOf.lowerOuterLip = rowCurves.push(c.lowerOuter) - 1;
  for (const t of [0.35, 0.7]) rowCurves.push(between(c.lowerOuter, chin, t));
  rowOf.chin = rowCurves.push(chin) - 1;
  for (const t of [0.35, 0.7]) rowCurves.push(between(chin, bottom, t));
  rowCurves.push(bottom);

  const positions: number[] = [];
  const prevY = cols.map(() => -Infinity);
  for (const curve of rowCurves) {
    cols.forEach((x, i) => {
      // Rows never cross: a contour that dips below the next is clamped (a zero-height row is harmless).
      const y = Math.max(curve(x), prevY[i]!);
      prevY[i] = y;
      const p = toImage(g, [x, y]);
      positions.push(round6(p[0]), round6(p[1]));
    });
  }
  assertFinite(positions, "the mesh positions");
  // Nearest, not exact: a corner that lost its column to a nearby one uses that column.
  const colIndex = (x: number) => cols.reduce((best, c, i) => (Math.abs(c - x) < Math.abs(cols[best]! - x) ? i : best), 0);
  const corners = [colIndex(inner.left[0]), colIndex(inner.right[0])] as [number, number];
  const eyeCols = f.eyes.map((e) => [colIndex(e.left[0]), colIndex(e.right[0])]) as [[number, number], [number, number]];
  const img = [toImage(g, [r.x0, r.y0]), toImage(g, [r.x1, r.y0]), toImage(g, [r.x0, r.y1]), toImage(g, [r.x1, r.y1])];
  const region: Rig["region"] = [
    Math.min(...img.map((p) => p[0])),
    Math.min(...img.map((p) => p[1])),
    Math.max(...img.map((p) => p[0])),
    Math.max(...img.map((p) => p[1])),
  ];
  return { mesh: { cols: cols.length, rows: rowCurves.length, positions, rowOf, mouthCols: corners, eyeCols }, region };
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}
