import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { deformFrame, type FrameInput } from "@/core/render/deform";
import { EXPRESSION_BLEND_SEC, ExpressionBlend, expressionOf, NO_GESTURE, type Gesture } from "@/core/render/expression";
import { compileRig, FLOATS_PER_VERTEX } from "@/core/render/model";
import { RESTING_MOUTH } from "@/core/render/mouth";
import { SoftwareRasterizer } from "@/core/render/raster";
import type { Point, Rig } from "@/core/render/rig";
import { framedPortrait } from "./framing";

// Emotions on the fixture portrait through the CPU rasteriser (the server's and the canvas2d tier's;
// the WebGPU tier draws the same vertices, checked by webgpu-psnr.int.test.ts). Regions come from
// the rig's landmarks; idle time is held still so only the face's expression differs.
const png = readFileSync(new URL("../../public/demo/astronaut.png", import.meta.url));
const rig = JSON.parse(readFileSync(new URL("../../public/demo/astronaut.rig.json", import.meta.url), "utf8")) as Rig;
const S = 512;
const IDLE = { timeSec: 2.1, listening: 0 };
type Box = [number, number, number, number];

let render: (f: FrameInput) => Uint8Array;
let vertices: (f: FrameInput) => Float32Array;
const face = (emotion: string, gesture: Gesture = NO_GESTURE): FrameInput => ({ mouth: RESTING_MOUTH, idle: IDLE, face: { expression: expressionOf(emotion), gesture } });
/** The emotion's features alone, without its head pose bias (which moves the whole head a little). */
const features = (emotion: string): FrameInput => ({ ...face(emotion), face: { expression: { ...expressionOf(emotion), headPitch: 0, headRoll: 0 }, gesture: NO_GESTURE } });

beforeAll(async () => {
  const model = compileRig(rig);
  const raster = new SoftwareRasterizer(model, await framedPortrait(png, rig, S));
  vertices = (f) => deformFrame(model, f);
  render = (f) => {
    const out = new Uint8Array(S * S * 4);
    raster.render(deformFrame(model, f), out);
    return out;
  };
});

const px = (p: Point): Point => [p[0] * S, p[1] * S];
const around = (c: Point, rx: number, ry: number): Box => [Math.round(c[0] - rx), Math.round(c[1] - ry), Math.round(c[0] + rx), Math.round(c[1] + ry)];
const mouthW = (rig.mouth.right[0] - rig.mouth.left[0]) * S;
const eyeW = (rig.eyes[0].right[0] - rig.eyes[0].left[0]) * S;
const REGIONS: Record<string, Box[]> = {
  corners: [around(px(rig.mouth.left), 0.22 * mouthW, 0.22 * mouthW), around(px(rig.mouth.right), 0.22 * mouthW, 0.22 * mouthW)],
  // Above each eye's upper lid, where the brows are.
  brows: rig.eyes.map((e) => {
    const c = px([(e.left[0] + e.right[0]) / 2, Math.min(...e.upper.map((p) => p[1]))]);
    return [Math.round(c[0] - 0.7 * eyeW), Math.round(c[1] - 1.1 * eyeW), Math.round(c[0] + 0.7 * eyeW), Math.round(c[1] - 0.15 * eyeW)] as Box;
  }),
  // Controls the expressions should barely touch: the nose tip and the chin.
  control: [around(px(rig.face.noseTip), 0.2 * mouthW, 0.15 * mouthW), around(px(rig.face.chin), 0.25 * mouthW, 0.1 * mouthW)],
};

/** Mean absolute channel difference over the boxes. */
function diff(a: Uint8Array, b: Uint8Array, boxes: Box[]): number {
  let sum = 0;
  let n = 0;
  for (const [x0, y0, x1, y1] of boxes) {
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const o = (y * S + x) * 4;
        sum += Math.abs(a[o]! - b[o]!) + Math.abs(a[o + 1]! - b[o + 1]!) + Math.abs(a[o + 2]! - b[o + 2]!);
        n += 3;
      }
    }
  }
  return sum / n;
}

/** Pixels outside the head ellipse that differ (must be none). */
function outsideHead(a: Uint8Array, b: Uint8Array): number {
  const [cx, cy] = px(rig.head.center);
  const [rx, ry] = [rig.head.radii[0] * S, rig.head.radii[1] * S];
  let n = 0;
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      if (((x + 0.5 - cx) / rx) ** 2 + ((y + 0.5 - cy) / ry) ** 2 <= 1) continue;
      const o = (y * S + x) * 4;
      if (a[o] !== b[o] || a[o + 1] !== b[o + 1] || a[o + 2] !== b[o + 2]) n++;
    }
  }
  return n;
}

describe("emotions on the face", () => {
  it("each emotion differs from neutral where it should (corners, brows) and not elsewhere much; the background not at all", () => {
    const neutral = render(face("neutral"));
    expect(diff(render(face("neutral")), neutral, REGIONS.corners!)).toBe(0);
    for (const emotion of ["happy", "serious", "curious"]) {
      // With the head pose bias too: the head moves, the background never does.
      const f = render(face(emotion));
      expect(diff(f, neutral, REGIONS.control!), emotion).toBeGreaterThan(0);
      expect(outsideHead(f, neutral), emotion).toBe(0);
    }
    const d = (emotion: string) => {
      const f = render(features(emotion));
      return { corners: diff(f, neutral, REGIONS.corners!), brows: diff(f, neutral, REGIONS.brows!), control: diff(f, neutral, REGIONS.control!) };
    };
    const happy = d("happy");
    const serious = d("serious");
    const curious = d("curious");
    // A smile moves the mouth corners; knit and raised brows move the brows; each several times more than the controls.
    expect(happy.corners).toBeGreaterThan(4);
    expect(happy.corners).toBeGreaterThan(3 * happy.control);
    expect(serious.brows).toBeGreaterThan(2);
    expect(serious.brows).toBeGreaterThan(3 * serious.control);
    expect(serious.corners).toBeLessThan(happy.corners / 2);
    expect(curious.brows).toBeGreaterThan(2);
    expect(curious.brows).toBeGreaterThan(3 * curious.control);
    expect(happy.corners).toBeGreaterThan(2 * curious.corners);
  });

  it("speech gestures raise the brows", () => {
    const neutral = render(face("neutral"));
    const raised = render(face("neutral", { brow: 1, nod: 0 }));
    expect(diff(raised, neutral, REGIONS.brows!)).toBeGreaterThan(1);
    expect(diff(raised, neutral, REGIONS.brows!)).toBeGreaterThan(3 * diff(raised, neutral, REGIONS.corners!));
  });

  it("changes of emotion blend continuously: no vertex jumps, bounded frame-to-frame change, no jump at the change", () => {
    const fps = 25;
    const blend = new ExpressionBlend("neutral");
    const script = (t: number) => (t < 0.4 ? "neutral" : t < 1.2 ? "happy" : "serious");
    const box: Box[] = [...REGIONS.corners!, ...REGIONS.brows!];
    const maxMove = (a: Float32Array, b: Float32Array) => {
      let m = 0;
      for (let i = 0; i < a.length; i += FLOATS_PER_VERTEX) m = Math.max(m, Math.hypot(a[i]! - b[i]!, a[i + 1]! - b[i + 1]!) * S);
      return m;
    };
    let prev = render(face("neutral"));
    let prevV = vertices(face("neutral"));
    const steps: number[] = [];
    const moves: number[] = [];
    for (let i = 1; i <= 2 * fps; i++) {
      const t = i / fps;
      const input: FrameInput = { mouth: RESTING_MOUTH, idle: IDLE, face: { expression: blend.at(script(t), t), gesture: NO_GESTURE } };
      const f = render(input);
      const v = vertices(input);
      steps.push(diff(f, prev, box));
      moves.push(maxMove(v, prevV));
      prev = f;
      prevV = v;
    }
    const whole = Math.max(diff(render(face("happy")), render(face("neutral")), box), diff(render(face("serious")), render(face("happy")), box));
    const wholeMove = Math.max(maxMove(vertices(face("happy")), vertices(face("neutral"))), maxMove(vertices(face("serious")), vertices(face("happy"))));
    // The blend takes EXPRESSION_BLEND_SEC (~9 frames at 25 fps): no frame moves any vertex by more than
    // a fifth of the whole change, and no frame's pixels change by more than half of the whole change.
    expect(EXPRESSION_BLEND_SEC).toBeGreaterThanOrEqual(0.25);
    expect(wholeMove).toBeGreaterThan(3);
    expect(Math.max(...moves)).toBeLessThan(wholeMove / 5);
    expect(Math.max(...steps)).toBeLessThan(whole / 2);
    // It does arrive: a second after the change the face is still (only the next change moves it).
    expect(steps[Math.round(1.1 * fps) - 1]).toBe(0);
    expect(steps.slice(Math.round(0.45 * fps), Math.round(0.7 * fps)).some((s) => s > whole / 20)).toBe(true);
  });
});
