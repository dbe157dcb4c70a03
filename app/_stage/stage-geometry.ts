import type { Rig } from "@/core/render/rig";

/** Where the mouth and the moving head are on the demo canvas, in canvas pixels (for captions and tests). */
export function stageGeometry(rig: Rig, size: number): { mouthBox: [number, number, number, number]; head: [number, number, number, number] } {
  const pts = [...rig.mouth.outer.upper, ...rig.mouth.outer.lower, rig.mouth.left, rig.mouth.right];
  const xs = pts.map((p) => p[0] * size);
  const ys = pts.map((p) => p[1] * size);
  const r = (v: number) => Math.round(v);
  return {
    mouthBox: [r(Math.min(...xs)), r(Math.min(...ys)), r(Math.max(...xs)), r(Math.max(...ys))],
    head: [r(rig.head.center[0] * size), r(rig.head.center[1] * size), r(rig.head.radii[0] * size), r(rig.head.radii[1] * size)],
  };
}
