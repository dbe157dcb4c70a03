import "server-only";
import { toLocal } from "@/core/render/mesh";
import type { Point } from "@/core/render/rig";
import { MAX_ROLL_DEG, MIN_FACE_PX, PortraitError } from "./errors";
import type { DetectedFace } from "./face-landmarks";
import { faceFrame, type FaceFrame } from "./face-frame";
import { FACEMESH } from "./landmark-indices";

const FEATURES = [
  ...FACEMESH.faceOval, ...FACEMESH.eyeAUpper, ...FACEMESH.eyeALower, ...FACEMESH.eyeBUpper, ...FACEMESH.eyeBLower,
  ...FACEMESH.lipsUpperOuter, ...FACEMESH.lipsLowerOuter, ...FACEMESH.lipsUpperInner, ...FACEMESH.lipsLowerInner,
  FACEMESH.noseTip, FACEMESH.cheekA, FACEMESH.cheekB,
];

/** face_unclear: the landmarks cannot carry a rig; `why` says which, the rest what to change. */
export function faceUnclear(why: string, cause?: unknown): PortraitError {
  return new PortraitError(
    "face_unclear",
    `The face's features could not be located reliably (${why}). Use a sharp, well-lit photo of one face looking at the camera, with both eyes and the mouth unobstructed.`,
    { cause },
  );
}

/** Whether ratio is inside [lo, hi] (false for NaN, which a collapsed face gives). */
const within = (ratio: number, lo: number, hi: number) => ratio >= lo && ratio <= hi;

/**
 * Refuses, with the PortraitError that says what to change, a detected face the rig cannot be
 * built from: too small, cut off, tilted past MAX_ROLL_DEG, or landmarks that are non-finite,
 * collapsed or out of anatomical order (a detector misreading a cartoon, a mask, a crowd).
 * Returns the face's frame for the rig builder.
 */
export function checkFace(face: DetectedFace, source: { width: number; height: number }): FaceFrame {
  const lm = face.landmarks;
  if (lm.length < 468 || !lm.every((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]))) throw faceUnclear("the detector returned invalid points");
  const across = Math.max(face.box.width, face.box.height);
  if (!(across >= MIN_FACE_PX)) {
    throw new PortraitError("face_too_small", `The face is ${Math.round(across)} px across; at least ${MIN_FACE_PX} px is needed. Use a larger or closer-cropped photo.`);
  }
  const margin = 0.02 * face.box.width;
  if (FEATURES.some((i) => lm[i]![0] < -margin || lm[i]![1] < -margin || lm[i]![0] > source.width + margin || lm[i]![1] > source.height + margin)) {
    throw new PortraitError("face_cut_off", "The face is cut off by the edge of the image. Use a photo that shows the whole head with some space around it.");
  }
  const frame = faceFrame(lm);
  const rollDeg = (frame.roll * 180) / Math.PI;
  if (Math.abs(rollDeg) > MAX_ROLL_DEG) {
    throw new PortraitError("face_tilted", `The face is tilted ${Math.round(Math.abs(rollDeg))} degrees; rotate the photo so the face is upright (within ${MAX_ROLL_DEG} degrees).`);
  }
  checkLayout(lm, frame, across);
  return frame;
}

/** The proportions and order every face the rig can animate has, with wide margins (cartoons included). */
function checkLayout(lm: readonly Point[], frame: FaceFrame, boxPx: number): void {
  const W = frame.widthPx;
  const H = frame.heightPx;
  if (!within(W / boxPx, 0.3, 2)) throw faceUnclear(`the landmarks span ${Math.round(W)} px of a ${Math.round(boxPx)} px face`);
  if (W < MIN_FACE_PX / 2) {
    throw new PortraitError("face_too_small", `The face is ${Math.round(W)} px wide; at least ${MIN_FACE_PX / 2} px between the cheeks is needed. Use a larger or closer-cropped photo.`);
  }
  if (!within(H / W, 0.6, 2.5)) throw faceUnclear("the face's height does not match its width");
  const up = (ids: readonly number[]) => ids.map((i) => toLocal({ face: frame }, lm[i]!));
  const span = (pts: Point[]) => [Math.min(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[0]))] as const;
  const eyeA = up([...FACEMESH.eyeAUpper, ...FACEMESH.eyeALower]);
  const eyeB = up([...FACEMESH.eyeBUpper, ...FACEMESH.eyeBLower]);
  const mouth = up([...FACEMESH.lipsUpperInner, ...FACEMESH.lipsLowerInner]);
  const [a0, a1] = span(eyeA);
  const [b0, b1] = span(eyeB);
  const [m0, m1] = span(mouth);
  if (!within((a1 - a0) / W, 0.06, 0.6) || !within((b1 - b0) / W, 0.06, 0.6)) throw faceUnclear("an eye is collapsed or stretched");
  if (a1 > b0 + 0.02 * W) throw faceUnclear("the eyes overlap");
  if (!within((m1 - m0) / W, 0.12, 1.1)) throw faceUnclear("the mouth is collapsed or stretched");
  const y = (pts: Point[]) => pts.reduce((s, p) => s + p[1], 0) / pts.length;
  const eyesY = (y(eyeA) + y(eyeB)) / 2;
  const mouthX = (m0 + m1) / 2;
  const [foreheadY, chinY] = [up([FACEMESH.forehead])[0]![1], up([FACEMESH.chin])[0]![1]];
  if (!(foreheadY < eyesY - 0.1 * H && eyesY < y(mouth) - 0.1 * H && y(mouth) < chinY - 0.05 * H)) throw faceUnclear("the forehead, eyes, mouth and chin are out of order");
  if (!(mouthX > (a0 + a1) / 2 && mouthX < (b0 + b1) / 2)) throw faceUnclear("the mouth is not between the eyes");
  const lipMid = (ids: readonly number[]) => up([ids[5]!])[0]![1];
  if (lipMid(FACEMESH.lipsUpperOuter) > lipMid(FACEMESH.lipsLowerOuter) + 0.05 * W) throw faceUnclear("the upper lip is below the lower lip");
}
