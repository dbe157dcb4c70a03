import { readFileSync } from "node:fs";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { compileRig } from "@/core/render/model";
import { toLocal } from "@/core/render/mesh";
import { modelViolations } from "@/core/render/testing/model-invariants";
import { buildRig, type RigPixels } from "./build-rig";
import { PortraitError } from "./errors";
import type { DetectedFace } from "./face-landmarks";
import { FACEMESH } from "./landmark-indices";
import { prng } from "@/core/mux/sample-stream";
import { perturbFace } from "./testing/perturb-face";

// The detector's landmarks for public/demo/astronaut.png (checked against the live detector in
// portrait-variants.int.test.ts), perturbed in the ways unusual portraits make a detector err.
const fixture = JSON.parse(readFileSync(new URL("./testing/astronaut-face.json", import.meta.url), "utf8")) as DetectedFace;
const source = { width: 512, height: 512 };
const CODES = ["face_too_small", "face_cut_off", "face_tilted", "face_unclear"];
let pixels: RigPixels;

beforeAll(async () => {
  const { data, info } = await sharp(readFileSync(new URL("../../public/demo/astronaut.png", import.meta.url))).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  pixels = { rgb: new Uint8Array(data), width: info.width, height: info.height, scale: 1 };
});

/** "ok", or why this landmark set neither became a valid rig nor was refused with a coded 422. */
function outcome(face: DetectedFace): string {
  let rig;
  try {
    rig = buildRig(face, source, 7, pixels);
  } catch (error) {
    if (error instanceof PortraitError && CODES.includes(error.code) && error.status === 422 && error.message.length > 20) return `refused:${error.code}`;
    return `buildRig threw ${String(error)}`;
  }
  try {
    const violations = modelViolations(compileRig(JSON.parse(JSON.stringify(rig)) as typeof rig));
    return violations.length === 0 ? "ok" : `invalid model: ${violations.join("; ")}`;
  } catch (error) {
    return `compileRig threw ${String(error)}`;
  }
}

describe("buildRig and compileRig on perturbed and degenerate landmarks", () => {
  it("builds the fixture's own landmarks into a valid rig", () => {
    expect(outcome(fixture)).toBe("ok");
  });

  it("builds a wide mouth whose corners fall exactly under the eyes' outer corners (was RangeError: Invalid typed array length)", () => {
    // In the face-local frame (where the mesh columns are laid out) move each mouth corner to the
    // x of the eye corner above it, as on an open-mouthed cartoon face: mesh columns coincide.
    const rig = buildRig(fixture, source, 7, pixels);
    const lm = fixture.landmarks.map(([x, y]) => [x, y] as [number, number]);
    const roll = rig.face.roll;
    const eyes = [FACEMESH.eyeAUpper[0], FACEMESH.eyeBUpper[8]].map((i) => toLocal(rig, norm(rig, lm[i]!))[0]);
    const corners = [FACEMESH.lipsUpperInner[0], FACEMESH.lipsUpperInner[10]];
    const lips = [FACEMESH.lipsUpperInner, FACEMESH.lipsLowerInner, FACEMESH.lipsUpperOuter, FACEMESH.lipsLowerOuter];
    corners.forEach((c, side) => {
      const dx = (Math.min(...eyes) * (side === 0 ? 1 : 0) + Math.max(...eyes) * side - toLocal(rig, norm(rig, lm[c]!))[0]) * rig.crop.size;
      // Contours share their corner landmarks: move each landmark once.
      const ids = new Set(lips.flatMap((l) => (side === 0 ? [l[0], l[1]] : [l[9], l[10]])));
      for (const i of ids) lm[i] = [lm[i]![0] + dx * Math.cos(roll), lm[i]![1] + dx * Math.sin(roll)];
    });
    expect(outcome({ ...fixture, landmarks: lm })).toBe("ok");
  });

  it("turns 2000 seeded perturbations into valid rigs or coded 422 refusals, never a crash", () => {
    const rnd = prng(20240611);
    const failures: string[] = [];
    const tally = new Map<string, number>();
    for (let trial = 0; trial < 2000; trial++) {
      const { face, ops } = perturbFace(fixture, rnd, source);
      const result = outcome(face);
      const key = result.startsWith("refused") || result === "ok" ? result : "failure";
      tally.set(key, (tally.get(key) ?? 0) + 1);
      if (key === "failure" && failures.length < 8) failures.push(`trial ${trial} [${ops.join(", ")}]: ${result}`);
    }
    expect(failures).toEqual([]);
    // The mix stays meaningful: many perturbations still animate, many are refused.
    expect(tally.get("ok") ?? 0).toBeGreaterThan(300);
    expect([...tally.keys()].filter((k) => k.startsWith("refused")).length).toBeGreaterThanOrEqual(3);
  });
});

function norm(rig: { crop: { x: number; y: number; size: number } }, p: [number, number]): [number, number] {
  return [(p[0] - rig.crop.x) / rig.crop.size, (p[1] - rig.crop.y) / rig.crop.size];
}
