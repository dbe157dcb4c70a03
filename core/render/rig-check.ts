import type { LocalFeatures, RigGeometry } from "./mesh";
import { RIG_KIND, RIG_VERSION, type Point, type Rig } from "./rig";
import { RigError } from "./rig-error";

/** More columns than any face needs (a portrait's mesh has ~40): beyond it the features are degenerate. */
export const MAX_MESH_COLS = 256;

const malformed = (what: string) => new RigError("rig_malformed", what);
const degenerate = (what: string) => new RigError("rig_degenerate", what);

/** Farthest a rig coordinate may lie from its crop, in crop sizes; beyond it frames overflow. */
const MAX_COORD = 100;
const isCoord = (v: unknown): v is number => Number.isFinite(v) && Math.abs(v as number) <= MAX_COORD;
const isPoint = (p: unknown): p is Point => Array.isArray(p) && p.length === 2 && isCoord(p[0]) && isCoord(p[1]);
const isIndex = (v: unknown, n: number): v is number => Number.isInteger(v) && (v as number) >= 0 && (v as number) < n;

/** Throws rig_degenerate unless every value is a finite number. */
export function assertFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) throw degenerate(`${what} are not finite`);
}

/**
 * The face-local features the mesh is laid out along must have extent: a mouth or eye of no width
 * would divide by zero, and a mouth tiny against the face would need columns without end.
 */
export function assertFeatures(f: LocalFeatures): void {
  const { inner } = f.mouth;
  const columns = [...f.eyes.flatMap((e) => [e.left[0], e.right[0]]), inner.left[0], inner.right[0], f.region.x0, f.region.x1];
  assertFinite([...columns, f.region.y0, f.region.y1, f.chinY], "the eye, mouth and chin positions");
  const mouthW = inner.right[0] - inner.left[0];
  if (!(mouthW > 0)) throw degenerate("the mouth has no width");
  if (f.eyes.some((e) => !(e.right[0] - e.left[0] > 0))) throw degenerate("an eye has no width");
  // Columns are at most 0.3 mouth widths apart across everything the mesh spans.
  const span = Math.max(...columns) - Math.min(...columns);
  if (span / (0.3 * mouthW) > MAX_MESH_COLS) throw degenerate("the mouth is too small against the rest of the face");
}

/**
 * The geometry a mesh is laid out from: a finite face frame of some size and non-empty contours,
 * all within MAX_COORD crop sizes (a crop frames the face, so real rigs stay near 0..1).
 */
export function assertGeometry(g: RigGeometry): void {
  const { face, head, crop, eyes, mouth } = g;
  if (![face?.center, head?.center, head?.radii, face?.chin].every(isPoint) || !isCoord(face.roll)) throw degenerate("the face frame is not finite or lies far outside the crop");
  const sizes = [face.width, face.height, head.radii[0], head.radii[1]];
  if (!sizes.every((v) => v > 0 && v <= MAX_COORD) || !(crop?.size > 0 && Number.isFinite(crop.size))) throw degenerate("the face has no size");
  const contours = [...(eyes ?? []), mouth?.inner, mouth?.outer];
  if (contours.length !== 4 || contours.some((c) => !Array.isArray(c?.upper) || !Array.isArray(c.lower) || c.upper.length === 0 || c.lower.length === 0)) {
    throw malformed("eye or lip contours missing");
  }
  if (!contours.every((c) => c!.upper.every(isPoint) && c!.lower.every(isPoint))) throw degenerate("eye or lip contours are not finite or lie far outside the crop");
}

/**
 * Checks what compileRig sizes buffers and indexes from, so a corrupt manifest is a coded error
 * instead of a RangeError, out-of-range reads or NaN vertices.
 */
export function assertCompilable(rig: Rig): void {
  if (rig?.kind !== RIG_KIND || rig.version !== RIG_VERSION) throw malformed(`kind ${String(rig?.kind)} version ${String(rig?.version)}, expected ${RIG_KIND} ${RIG_VERSION}`);
  const { cols, rows, positions, rowOf, mouthCols, eyeCols } = rig.mesh ?? {};
  if (!Number.isInteger(cols) || !Number.isInteger(rows) || cols < 2 || rows < 2 || cols > MAX_MESH_COLS || rows > MAX_MESH_COLS) throw malformed(`a ${cols}x${rows} mesh`);
  if (!Array.isArray(positions) || positions.length !== 2 * cols * rows) throw malformed("positions do not match the mesh size");
  if (!positions.every(isCoord)) throw degenerate("the mesh positions are not finite or lie far outside the crop");
  const order = [rowOf?.upperLid, rowOf?.lowerLid, rowOf?.upperOuterLip, rowOf?.upperInnerLip, rowOf?.lowerInnerLip, rowOf?.lowerOuterLip, rowOf?.chin];
  if (!order.every((r, i) => isIndex(r, rows) && (i === 0 || r > order[i - 1]!))) throw malformed("contour rows out of range or order");
  if (!isIndex(mouthCols?.[0], cols) || !isIndex(mouthCols[1], cols) || mouthCols[1] <= mouthCols[0]) throw malformed("mouth corner columns out of range");
  if (!Array.isArray(eyeCols) || eyeCols.length !== 2 || eyeCols.some((e) => !isIndex(e?.[0], cols) || !isIndex(e[1], cols) || e[1] < e[0])) {
    throw malformed("eye corner columns out of range");
  }
  const pal = rig.mouth?.palette;
  const tone = (c: unknown) => Array.isArray(c) && c.length === 3 && c.every((v) => typeof v === "number" && v >= 0 && v <= 1);
  if (pal !== undefined && !(tone(pal?.lip) && tone(pal?.skin))) throw malformed("the mouth palette is not two RGB tones in 0..1");
  assertGeometry(rig);
}
