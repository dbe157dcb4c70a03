import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { deformFrame, type FrameInput } from "./deform";
import { FLOATS_PER_VERTEX, compileRig } from "./model";
import { RESTING_MOUTH } from "./mouth";
import { SoftwareRasterizer } from "./raster";
import type { Rig } from "./rig";

const rig = JSON.parse(readFileSync(new URL("../../public/demo/astronaut.rig.json", import.meta.url), "utf8")) as Rig;
const S = 256;
const model = compileRig(rig);

function noiseTexture(): Uint8Array {
  const t = new Uint8Array(S * S * 4);
  let x = 12345;
  for (let i = 0; i < t.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    t[i] = i % 4 === 3 ? 255 : x >>> 24;
  }
  return t;
}

const frame = (mouth: Partial<FrameInput["mouth"]>, timeSec = 0.5, listening = 0): FrameInput => ({
  mouth: { ...RESTING_MOUTH, ...mouth },
  idle: { timeSec, listening },
});

/** Largest lip gap (crop units) across the mouth columns. */
function maxGap(v: Float32Array): number {
  let g = 0;
  for (let j = 0; j < model.cavity.top.length; j++) g = Math.max(g, v[(model.cavity.firstDup + 2 * j) * FLOATS_PER_VERTEX + 7]!);
  return g;
}

describe("mesh deformation", () => {
  it("opens the lips with jawOpen and closes them when pressed, whatever the jaw", () => {
    const open = maxGap(deformFrame(model, frame({ jawOpen: 1 })));
    const half = maxGap(deformFrame(model, frame({ jawOpen: 0.5 })));
    expect(open).toBeGreaterThan(0.4 * model.mouthWidth);
    expect(half).toBeLessThan(open);
    expect(half).toBeGreaterThan(0.2 * model.mouthWidth);
    expect(maxGap(deformFrame(model, frame({ jawOpen: 0 })))).toBeLessThan(0.01 * model.mouthWidth);
    expect(maxGap(deformFrame(model, frame({ jawOpen: 0.8, lipsPressed: 1 })))).toBeLessThan(0.1 * model.mouthWidth);
  });

  it("drops the chin with the jaw but leaves the forehead in place", () => {
    const rest = deformFrame(model, frame({}, 0));
    const open = deformFrame(model, frame({ jawOpen: 1 }, 0));
    const cols = rig.mesh.cols;
    const mid = Math.round((rig.mesh.mouthCols[0] + rig.mesh.mouthCols[1]) / 2);
    const y = (v: Float32Array, row: number) => v[(row * cols + mid) * FLOATS_PER_VERTEX + 1]!;
    expect(y(open, rig.mesh.rowOf.chin) - y(rest, rig.mesh.rowOf.chin)).toBeGreaterThan(0.3 * model.mouthWidth);
    expect(Math.abs(y(open, 1) - y(rest, 1))).toBeLessThan(1e-6);
  });

  it("never alters a pixel outside the head and neck, whatever the mouth and idle pose", () => {
    const texture = noiseTexture();
    const raster = new SoftwareRasterizer(model, { width: S, height: S, data: texture });
    const out = new Uint8Array(S * S * 4);
    const [cx, cy] = rig.head.center;
    const [rx, ry] = rig.head.radii;
    for (const f of [frame({ jawOpen: 1, lipWidth: 1 }, 1.7), frame({ pucker: 1 }, 3.3, 1), frame({ lipsPressed: 1 }, 9.1)]) {
      raster.render(deformFrame(model, f), out);
      let changedOutside = 0;
      let changedInside = 0;
      for (let y = 0; y < S; y++) {
        for (let x = 0; x < S; x++) {
          const inside = Math.hypot((x + 0.5) / S - cx, ((y + 0.5) / S - cy) * (rx / ry)) < rx;
          const o = (y * S + x) * 4;
          const same = out[o] === texture[o] && out[o + 1] === texture[o + 1] && out[o + 2] === texture[o + 2];
          if (!same && !inside) changedOutside++;
          if (!same && inside) changedInside++;
        }
      }
      expect(changedOutside).toBe(0);
      expect(changedInside).toBeGreaterThan(100);
    }
  });

  it("renders the same frame twice to the same bytes (deterministic, no hidden state)", () => {
    const raster = new SoftwareRasterizer(model, { width: S, height: S, data: noiseTexture() });
    const a = new Uint8Array(S * S * 4);
    const b = new Uint8Array(S * S * 4);
    const f = frame({ jawOpen: 0.6, upperLipRaise: 0.4 }, 2.2);
    raster.render(deformFrame(model, frame({ jawOpen: 0.1 }, 7)), a);
    raster.render(deformFrame(model, f), a);
    raster.render(deformFrame(model, f), b);
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
  });

  it("gaze slides only the eyes' texture (lid rows inside the eyes); the mesh stays where it is", () => {
    // Two moments with different fixations but the same blink state (none) and a neutral face.
    const times = [5.44, 14.51];
    const [a, b] = times.map((t) => deformFrame(model, frame({}, t)));
    const { rowOf, cols } = rig.mesh;
    let moved = 0;
    for (let i = 0; i < model.baseCount; i++) {
      const o = i * FLOATS_PER_VERTEX;
      const du = Math.hypot(a![o + 2]! - b![o + 2]!, a![o + 3]! - b![o + 3]!);
      const row = Math.floor(i / cols);
      if (du > 1e-7) {
        moved++;
        expect([rowOf.upperLid, rowOf.lowerLid]).toContain(row);
        expect(model.k.eye[i]).toBeGreaterThanOrEqual(0);
      }
    }
    expect(moved).toBeGreaterThan(4);
  });

  it("expressions move brows, corners and lids, never a vertex outside the head's moving region", () => {
    const neutral = deformFrame(model, frame({}));
    const happy = deformFrame(model, { ...frame({}), face: { expression: { smile: 1, cheek: 1, browRaise: 1, browKnit: 1, eyeOpen: 1, headPitch: 0.02, headRoll: 0.02 }, gesture: { brow: 1, nod: 1 } } });
    for (let i = 0; i < model.baseCount; i++) {
      const o = i * FLOATS_PER_VERTEX;
      if (model.k.mask[i] === 0 && model.k.wHead[i] === 0) {
        expect(happy[o]).toBe(neutral[o]);
        expect(happy[o + 1]).toBe(neutral[o + 1]);
      }
    }
    expect(happy.every(Number.isFinite)).toBe(true);
  });
});

