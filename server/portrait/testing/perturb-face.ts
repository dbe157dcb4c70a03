// Seeded perturbations of a real detected face for fuzzing the rig builder: each trial applies one to
// three of the ways a detector goes wrong on an unusual portrait (noise, collapsed or swapped
// contours, extreme scale and rotation, points off the image, non-finite values).
import { pick } from "@/core/render/testing/pick";
import type { DetectedFace } from "../face-landmarks";
import { FACEMESH } from "../landmark-indices";

export type Landmarks = [number, number][];

const GROUPS = {
  lipsUpperInner: FACEMESH.lipsUpperInner,
  lipsLowerInner: FACEMESH.lipsLowerInner,
  lipsUpperOuter: FACEMESH.lipsUpperOuter,
  lipsLowerOuter: FACEMESH.lipsLowerOuter,
  eyeAUpper: FACEMESH.eyeAUpper,
  eyeALower: FACEMESH.eyeALower,
  eyeBUpper: FACEMESH.eyeBUpper,
  eyeBLower: FACEMESH.eyeBLower,
  faceOval: FACEMESH.faceOval,
  anchors: [FACEMESH.forehead, FACEMESH.chin, FACEMESH.noseTip, FACEMESH.cheekA, FACEMESH.cheekB],
} as const;
type Group = keyof typeof GROUPS;
const GROUP_NAMES = Object.keys(GROUPS) as Group[];

type Ctx = { rnd: () => number; lm: Landmarks; box: DetectedFace["box"]; width: number; height: number };
const centroid = (lm: Landmarks, ids: readonly number[]): [number, number] => [
  ids.reduce((s, i) => s + lm[i]![0], 0) / ids.length,
  ids.reduce((s, i) => s + lm[i]![1], 0) / ids.length,
];
const all = (lm: Landmarks) => lm.map((_, i) => i);
const transform = (lm: Landmarks, ids: readonly number[], f: (p: [number, number]) => [number, number]) => {
  for (const i of ids) lm[i] = f(lm[i]!);
};

/** Each returns a short label for the failure report. */
const OPS: Record<string, (c: Ctx) => string> = {
  jitterAll: ({ rnd, lm }) => {
    const s = pick(rnd, [0.5, 2, 8, 25]);
    transform(lm, all(lm), ([x, y]) => [x + (rnd() - 0.5) * 2 * s, y + (rnd() - 0.5) * 2 * s]);
    return `jitterAll(${s})`;
  },
  jitterGroup: ({ rnd, lm }) => {
    const g = pick(rnd, GROUP_NAMES);
    const s = pick(rnd, [3, 10, 30, 80]);
    transform(lm, GROUPS[g], ([x, y]) => [x + (rnd() - 0.5) * 2 * s, y + (rnd() - 0.5) * 2 * s]);
    return `jitterGroup(${g},${s})`;
  },
  collapseGroup: ({ rnd, lm }) => {
    const g = pick(rnd, GROUP_NAMES);
    const c = centroid(lm, GROUPS[g]);
    transform(lm, GROUPS[g], () => [c[0], c[1]]);
    return `collapseGroup(${g})`;
  },
  collinearGroup: ({ rnd, lm }) => {
    // Every point of a contour on one horizontal (or vertical) line: a zero-height mouth or eye.
    const g = pick(rnd, GROUP_NAMES);
    const c = centroid(lm, GROUPS[g]);
    const vertical = rnd() < 0.3;
    transform(lm, GROUPS[g], ([x, y]) => (vertical ? [c[0], y] : [x, c[1]]));
    return `collinearGroup(${g},${vertical ? "v" : "h"})`;
  },
  collapseFace: ({ lm }) => {
    const c = centroid(lm, all(lm));
    transform(lm, all(lm), () => [c[0], c[1]]);
    return "collapseFace";
  },
  swapPoints: ({ rnd, lm }) => {
    const n = pick(rnd, [1, 5, 40]);
    for (let k = 0; k < n; k++) {
      const a = Math.floor(rnd() * lm.length);
      const b = Math.floor(rnd() * lm.length);
      [lm[a], lm[b]] = [lm[b]!, lm[a]!];
    }
    return `swapPoints(${n})`;
  },
  swapContours: ({ rnd, lm }) => {
    // Upper lip below lower lip, an eye's lids inverted, or the two eyes exchanged.
    const pairs: [Group, Group][] = [
      ["lipsUpperInner", "lipsLowerInner"], ["lipsUpperOuter", "lipsLowerOuter"], ["lipsUpperOuter", "lipsLowerInner"],
      ["eyeAUpper", "eyeALower"], ["eyeBUpper", "eyeBLower"], ["eyeAUpper", "eyeBUpper"], ["lipsUpperInner", "eyeAUpper"],
    ];
    const [g, h] = pick(rnd, pairs);
    const [a, b] = [GROUPS[g], GROUPS[h]];
    const n = Math.min(a.length, b.length);
    for (let k = 0; k < n; k++) [lm[a[k]!], lm[b[k]!]] = [lm[b[k]!]!, lm[a[k]!]!];
    return `swapContours(${g},${h})`;
  },
  reverseGroup: ({ rnd, lm }) => {
    const g = pick(rnd, GROUP_NAMES);
    const ids = GROUPS[g];
    const pts = ids.map((i) => lm[i]!).reverse();
    ids.forEach((i, k) => (lm[i] = pts[k]!));
    return `reverseGroup(${g})`;
  },
  mirrorGroup: ({ rnd, lm }) => {
    // A contour folded over its centre: corners swap sides, the polyline runs right to left.
    const g = pick(rnd, GROUP_NAMES);
    const c = centroid(lm, GROUPS[g]);
    transform(lm, GROUPS[g], ([x, y]) => [2 * c[0] - x, y]);
    return `mirrorGroup(${g})`;
  },
  scaleFace: ({ rnd, lm, box }) => {
    // The detector's box follows the face half the time; otherwise only the mesh is off.
    const k = pick(rnd, [1e-6, 1e-3, 0.02, 0.1, 0.4, 0.6, 2.5, 10, 1e3, 1e6]);
    const c = centroid(lm, all(lm));
    transform(lm, all(lm), ([x, y]) => [c[0] + (x - c[0]) * k, c[1] + (y - c[1]) * k]);
    if (rnd() < 0.5) Object.assign(box, { width: box.width * k, height: box.height * k });
    return `scaleFace(${k})`;
  },
  scaleGroup: ({ rnd, lm }) => {
    const g = pick(rnd, GROUP_NAMES);
    const [kx, ky] = [pick(rnd, [0, 0.01, 0.3, 2, 6, -1]), pick(rnd, [0, 0.01, 0.3, 2, 6, -1])];
    const c = centroid(lm, GROUPS[g]);
    transform(lm, GROUPS[g], ([x, y]) => [c[0] + (x - c[0]) * kx, c[1] + (y - c[1]) * ky]);
    return `scaleGroup(${g},${kx},${ky})`;
  },
  rotateFace: ({ rnd, lm }) => {
    const a = pick(rnd, [0.3, 0.6, 0.9, 1.05, 1.4, Math.PI / 2, 2.5, Math.PI]) * (rnd() < 0.5 ? -1 : 1);
    const c = centroid(lm, all(lm));
    const [s, k] = [Math.sin(a), Math.cos(a)];
    transform(lm, all(lm), ([x, y]) => [c[0] + (x - c[0]) * k - (y - c[1]) * s, c[1] + (x - c[0]) * s + (y - c[1]) * k]);
    return `rotateFace(${a.toFixed(2)})`;
  },
  shearFace: ({ rnd, lm }) => {
    const k = pick(rnd, [-2, -0.6, 0.6, 2]);
    const c = centroid(lm, all(lm));
    transform(lm, all(lm), ([x, y]) => [x + (y - c[1]) * k, y]);
    return `shearFace(${k})`;
  },
  alignMouthToEyes: ({ rnd, lm }) => {
    // A wide mouth whose corners fall under the eye corners (an open-mouthed cartoon): the
    // columns of the mesh then coincide.
    const eye = pick(rnd, [FACEMESH.eyeAUpper[0], FACEMESH.eyeAUpper[8], FACEMESH.eyeBUpper[0], FACEMESH.eyeBUpper[8]]);
    const corner = pick(rnd, [FACEMESH.lipsUpperInner[0], FACEMESH.lipsUpperInner[10]]);
    const dx = lm[eye]![0] - lm[corner]![0] + pick(rnd, [0, 0, 1e-4, -1e-4, 0.05]);
    const side = corner === FACEMESH.lipsUpperInner[0] ? [0, 1, 2] : [8, 9, 10];
    for (const ids of [FACEMESH.lipsUpperInner, FACEMESH.lipsLowerInner, FACEMESH.lipsUpperOuter, FACEMESH.lipsLowerOuter]) {
      for (const k of side) lm[ids[k]!] = [lm[ids[k]!]![0] + dx, lm[ids[k]!]![1]];
    }
    return "alignMouthToEyes";
  },
  offImage: ({ rnd, lm, width, height }) => {
    const [dx, dy] = pick(rnd, [[-1, 0], [1, 0], [0, -1], [0, 1], [3, 3], [-50, 20]] as const);
    const f = pick(rnd, [0.2, 0.5, 1]);
    transform(lm, all(lm), ([x, y]) => [x + dx * f * width, y + dy * f * height]);
    return `offImage(${dx},${dy},${f})`;
  },
  farPoint: ({ rnd, lm }) => {
    const i = pick(rnd, [...GROUPS.lipsUpperInner, ...GROUPS.eyeAUpper, ...GROUPS.anchors, Math.floor(rnd() * lm.length)]);
    lm[i] = [pick(rnd, [-1e9, 1e9, 1e300, -5]), pick(rnd, [-1e9, 1e9, 1e300, 7])];
    return `farPoint(${i})`;
  },
  nonFinite: ({ rnd, lm }) => {
    const v = pick(rnd, [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    const n = pick(rnd, [1, 3, 468]);
    for (let k = 0; k < n; k++) {
      const i = n === 468 ? k : Math.floor(rnd() * lm.length);
      lm[i] = rnd() < 0.5 ? [v, lm[i]![1]] : [lm[i]![0], v];
    }
    return `nonFinite(${v},${n})`;
  },
  roundPixels: ({ lm }) => {
    transform(lm, all(lm), ([x, y]) => [Math.round(x), Math.round(y)]);
    return "roundPixels";
  },
};
const OP_NAMES = Object.keys(OPS);

/** A perturbed copy of `base` and the labels of what was done to it. */
export function perturbFace(base: DetectedFace, rnd: () => number, image: { width: number; height: number }): { face: DetectedFace; ops: string[] } {
  const lm = base.landmarks.map(([x, y]) => [x, y] as [number, number]);
  const box = { ...base.box };
  const n = 1 + Math.floor(rnd() * 3);
  const ops: string[] = [];
  for (let k = 0; k < n; k++) ops.push(OPS[pick(rnd, OP_NAMES)]!({ rnd, lm, box, ...image }));
  return { face: { ...base, box, landmarks: lm }, ops };
}
