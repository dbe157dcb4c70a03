import "server-only";
import { buildMesh, type RigGeometry } from "@/core/render/mesh";
import { compileRig } from "@/core/render/model";
import { sampleMouthPalette } from "@/core/render/mouth-palette";
import { RIG_KIND, RIG_VERSION, type Point, type Rig } from "@/core/render/rig";
import { RigError } from "@/core/render/rig-error";
import { checkFace, faceUnclear } from "./check-face";
import type { DetectedFace } from "./face-landmarks";
import { FACEMESH } from "./landmark-indices";

/** Picks the square crop that frames head and shoulders: head in the upper part, shoulders below. */
export function frameCrop(face: { center: Point; width: number; height: number }, width: number, height: number): Rig["crop"] {
  const side = Math.min(width, height);
  let size = Math.round(Math.min(side, 4.8 * face.width));
  // A crop that would keep nearly the whole picture keeps all of it: no needless resampling.
  if (size >= 0.85 * side) size = side;
  const cx = face.center[0];
  const cy = face.center[1] + 0.55 * face.height;
  const x = Math.round(Math.min(Math.max(cx - size / 2, 0), width - size));
  const y = Math.round(Math.min(Math.max(cy - size / 2, 0), height - size));
  return { x, y, size };
}

/** RGB pixels of the (possibly downscaled) picture the landmarks were found in, and its scale to the source. */
export type RigPixels = { rgb: Uint8Array; width: number; height: number; scale: number };

/**
 * Whether the teeth show between the inner lips: the strip between them is clearly less red than
 * the lower lip (teeth are pale; a closed lip line or a dark mouth is as red as the lips or darker).
 * Landmarks alone cannot tell: they put a closed mouth a few pixels open.
 */
export function teethVisible(upper: Point[], lower: Point[], px: RigPixels): boolean {
  const at = (p: Point) => {
    const x = Math.min(px.width - 1, Math.max(0, Math.round(p[0] / px.scale)));
    const y = Math.min(px.height - 1, Math.max(0, Math.round(p[1] / px.scale)));
    const o = (y * px.width + x) * 3;
    const [r, g, b] = [px.rgb[o]!, px.rgb[o + 1]!, px.rgb[o + 2]!];
    return { luma: 0.299 * r + 0.587 * g + 0.114 * b, red: r === 0 ? 0 : (r - g) / r };
  };
  const inner: { luma: number; red: number }[] = [];
  const lip: { luma: number; red: number }[] = [];
  const thick = 2 * px.scale;
  // Middle of the mouth only; the corners are in shadow whatever the mouth does.
  for (let i = 3; i <= 7; i++) {
    const u = upper[Math.round((i / 10) * (upper.length - 1))]!;
    const l = lower[Math.round((i / 10) * (lower.length - 1))]!;
    if (l[1] - u[1] < thick) continue;
    for (const t of [0.33, 0.5, 0.67]) inner.push(at([u[0] + (l[0] - u[0]) * t, u[1] + (l[1] - u[1]) * t]));
    lip.push(at([l[0], l[1] + thick]));
  }
  if (inner.length < 6) return false;
  const mean = (v: { luma: number; red: number }[], k: "luma" | "red") => v.reduce((s, x) => s + x[k], 0) / v.length;
  return mean(inner, "red") < mean(lip, "red") - 0.05 && mean(inner, "luma") > mean(lip, "luma") - 10;
}

/**
 * Builds the rig from one face's landmarks (source pixels) and a seed for idle motion. The rig is
 * compiled before it is returned: a face it cannot animate is a PortraitError (422) here, never
 * a RangeError or NaN vertices in a renderer later.
 */
export function buildRig(face: DetectedFace, source: { width: number; height: number }, seed: number, pixels: RigPixels): Rig {
  const { center: centerPx, roll, widthPx: faceWidthPx, heightPx: faceHeightPx } = checkFace(face, source);
  const lm = face.landmarks;
  const at = (i: number): Point => lm[i]!;
  const pts = (ids: readonly number[]) => ids.map(at);
  const chin = at(FACEMESH.chin);
  const crop = frameCrop({ center: centerPx, width: faceWidthPx, height: faceHeightPx }, source.width, source.height);
  const n = (p: Point): Point => [(p[0] - crop.x) / crop.size, (p[1] - crop.y) / crop.size];
  const np = (ids: readonly number[]) => pts(ids).map(n);
  const W = faceWidthPx / crop.size;
  const H = faceHeightPx / crop.size;
  const center = n(centerPx);
  const down: Point = [-Math.sin(roll), Math.cos(roll)];
  const eye = (upper: readonly number[], lower: readonly number[]) => {
    const u = np(upper);
    const l = np(lower);
    const [left, right] = u[0]![0] < u[u.length - 1]![0] ? [u[0]!, u[u.length - 1]!] : [u[u.length - 1]!, u[0]!];
    return { upper: u, lower: l, left, right };
  };
  const inner = { upper: np(FACEMESH.lipsUpperInner), lower: np(FACEMESH.lipsLowerInner) };
  const geometry: RigGeometry = {
    source,
    crop,
    face: { center, width: W, height: H, roll, oval: np(FACEMESH.faceOval), chin: n(chin), noseTip: n(at(FACEMESH.noseTip)) },
    eyes: [eye(FACEMESH.eyeAUpper, FACEMESH.eyeALower), eye(FACEMESH.eyeBUpper, FACEMESH.eyeBLower)],
    mouth: {
      left: inner.upper[0]!,
      right: inner.upper[inner.upper.length - 1]!,
      outer: { upper: np(FACEMESH.lipsUpperOuter), lower: np(FACEMESH.lipsLowerOuter) },
      inner,
      teethVisible: teethVisible(pts(FACEMESH.lipsUpperInner), pts(FACEMESH.lipsLowerInner), pixels),
    },
    // Hair reaches ~0.3 face heights above the brow; the neck ~0.35 below the chin.
    head: { center: [center[0] + down[0] * 0.025 * H, center[1] + down[1] * 0.025 * H], radii: [0.75 * W, 0.83 * H] },
    seed,
  };
  // The inner mouth's colours come from this portrait's own lips and skin (no colour it lacks).
  geometry.mouth.palette = sampleMouthPalette(geometry, ([x, y]) => {
    const px = Math.min(pixels.width - 1, Math.max(0, Math.round((x * crop.size + crop.x) / pixels.scale)));
    const py = Math.min(pixels.height - 1, Math.max(0, Math.round((y * crop.size + crop.y) / pixels.scale)));
    const o = (py * pixels.width + px) * 3;
    return [pixels.rgb[o]! / 255, pixels.rgb[o + 1]! / 255, pixels.rgb[o + 2]! / 255];
  });
  try {
    const { mesh, region } = buildMesh(geometry);
    const rig: Rig = { kind: RIG_KIND, version: RIG_VERSION, ...geometry, region, mesh };
    compileRig(rig);
    return rig;
  } catch (cause) {
    if (!(cause instanceof RigError)) throw cause;
    throw faceUnclear(cause.detail, cause);
  }
}
