import "server-only";
import type { Point } from "@/core/render/rig";
import { FACEMESH } from "./landmark-indices";

/** The face's own axes in source pixels: centre, in-plane roll, and size across and down. */
export type FaceFrame = { center: Point; roll: number; widthPx: number; heightPx: number };

const mean = (pts: Point[]): Point => [pts.reduce((s, p) => s + p[0], 0) / pts.length, pts.reduce((s, p) => s + p[1], 0) / pts.length];

/** Centroid of some landmarks. */
export function centroid(landmarks: readonly Point[], ids: readonly number[]): Point {
  return mean(ids.map((i) => landmarks[i]!));
}

/**
 * Roll runs from the mesh's eye A to its eye B, which the mesh labels by anatomy (A is the eye on
 * the image's left when the face is upright), so a face turned past 90 degrees reads as turned,
 * not as an upright face with its mouth above its eyes.
 */
export function faceFrame(landmarks: readonly Point[]): FaceFrame {
  const a = centroid(landmarks, FACEMESH.eyeAUpper);
  const b = centroid(landmarks, FACEMESH.eyeBUpper);
  const top = landmarks[FACEMESH.forehead]!;
  const chin = landmarks[FACEMESH.chin]!;
  const [ca, cb] = [landmarks[FACEMESH.cheekA]!, landmarks[FACEMESH.cheekB]!];
  return {
    center: [(top[0] + chin[0]) / 2, (top[1] + chin[1]) / 2],
    roll: Math.atan2(b[1] - a[1], b[0] - a[0]),
    widthPx: Math.hypot(ca[0] - cb[0], ca[1] - cb[1]),
    heightPx: Math.hypot(chin[0] - top[0], chin[1] - top[1]),
  };
}
