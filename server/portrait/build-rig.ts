import "server-only";
import { buildMesh, type RigGeometry } from "@/core/render/mesh";
import { RIG_KIND, RIG_VERSION, type Point, type Rig } from "@/core/render/rig";
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

/** Builds the rig from one face's landmarks (source pixels) and a seed for idle motion. */
export function buildRig(face: DetectedFace, source: { width: number; height: number }, seed: number): Rig {
  const lm = face.landmarks;
  const at = (i: number): Point => lm[i]!;
  const pts = (ids: readonly number[]) => ids.map(at);
  const eyeCenter = (ids: readonly number[]) => {
    const p = pts(ids);
    return [p.reduce((s, q) => s + q[0], 0) / p.length, p.reduce((s, q) => s + q[1], 0) / p.length] as Point;
  };
  const [ea, eb] = [eyeCenter(FACEMESH.eyeAUpper), eyeCenter(FACEMESH.eyeBUpper)];
  const [le, re] = ea[0] < eb[0] ? [ea, eb] : [eb, ea];
  const roll = Math.atan2(re[1] - le[1], re[0] - le[0]);
  const top = at(FACEMESH.forehead);
  const chin = at(FACEMESH.chin);
  const faceWidthPx = Math.hypot(at(FACEMESH.cheekA)[0] - at(FACEMESH.cheekB)[0], at(FACEMESH.cheekA)[1] - at(FACEMESH.cheekB)[1]);
  const faceHeightPx = Math.hypot(chin[0] - top[0], chin[1] - top[1]);
  const centerPx: Point = [(top[0] + chin[0]) / 2, (top[1] + chin[1]) / 2];
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
    },
    // Hair reaches ~0.3 face heights above the brow; the neck ~0.35 below the chin.
    head: { center: [center[0] + down[0] * 0.025 * H, center[1] + down[1] * 0.025 * H], radii: [0.75 * W, 0.83 * H] },
    seed,
  };
  const { mesh, region } = buildMesh(geometry);
  return { kind: RIG_KIND, version: RIG_VERSION, ...geometry, region, mesh };
}
