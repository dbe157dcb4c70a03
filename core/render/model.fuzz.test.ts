import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildMesh, type RigGeometry } from "./mesh";
import { compileRig } from "./model";
import type { Point, Rig } from "./rig";
import { RigError } from "./rig-error";
import { modelViolations } from "./testing/model-invariants";
import { prng } from "../mux/sample-stream";
import { pick } from "./testing/pick";

// compileRig takes rigs from stored manifests and worker messages: whatever a corrupt or
// degenerate rig holds, it compiles into a valid model or throws a coded RigError.
const base = JSON.parse(readFileSync(new URL("../../public/demo/astronaut.rig.json", import.meta.url), "utf8")) as Rig;
const WEIRD = [Number.NaN, Number.POSITIVE_INFINITY, -1, 0, 1e-12, 0.5, 3, 1e9, 1e300, -1e300];

type Mutation = (rig: Rig, rnd: () => number) => string;
const points = (rig: Rig): Point[][] => [
  rig.eyes[0].upper, rig.eyes[0].lower, rig.eyes[1].upper, rig.eyes[1].lower,
  rig.mouth.inner.upper, rig.mouth.inner.lower, rig.mouth.outer.upper, rig.mouth.outer.lower,
];

const MUTATIONS: Record<string, Mutation> = {
  mouthCols: (rig, rnd) => {
    const [a, b] = rig.mesh.mouthCols;
    rig.mesh.mouthCols = pick(rnd, [[b, a], [a, a], [-1, b], [a, -1], [a, rig.mesh.cols], [a + 0.5, b], [14, -1]] as [number, number][]);
    return `mouthCols ${rig.mesh.mouthCols.join(",")}`;
  },
  eyeCols: (rig, rnd) => {
    const e = Math.floor(rnd() * 2);
    rig.mesh.eyeCols[e] = pick(rnd, [[5, 2], [-1, 3], [3, 999], [Number.NaN, 3]] as [number, number][]);
    return `eyeCols[${e}] ${rig.mesh.eyeCols[e]!.join(",")}`;
  },
  meshSize: (rig, rnd) => {
    const key = pick(rnd, ["cols", "rows"] as const);
    rig.mesh[key] = pick(rnd, [0, 1, -3, 2.5, rig.mesh[key] + 1, rig.mesh[key] - 1, 1e9, Number.NaN]);
    return `${key} ${rig.mesh[key]}`;
  },
  positions: (rig, rnd) => {
    const what = pick(rnd, ["nan", "truncate", "extend", "scale"] as const);
    const p = rig.mesh.positions;
    if (what === "nan") p[Math.floor(rnd() * p.length)] = pick(rnd, [Number.NaN, Number.POSITIVE_INFINITY]);
    if (what === "truncate") p.length = Math.floor(rnd() * p.length);
    if (what === "extend") p.push(0.5, 0.5);
    if (what === "scale") rig.mesh.positions = p.map((v) => v * pick(rnd, [1e-9, 1e200, -1]));
    return `positions ${what}`;
  },
  rowOf: (rig, rnd) => {
    const keys = Object.keys(rig.mesh.rowOf) as (keyof Rig["mesh"]["rowOf"])[];
    const k = pick(rnd, keys);
    rig.mesh.rowOf[k] = pick(rnd, [-1, 0, rig.mesh.rows, rig.mesh.rows - 1, rig.mesh.rowOf.upperInnerLip]);
    return `rowOf.${k} ${rig.mesh.rowOf[k]}`;
  },
  faceScalar: (rig, rnd) => {
    const k = pick(rnd, ["width", "height", "roll"] as const);
    rig.face[k] = pick(rnd, WEIRD);
    return `face.${k} ${rig.face[k]}`;
  },
  frameScalar: (rig, rnd) => {
    const v = pick(rnd, WEIRD);
    const what = pick(rnd, ["crop", "radii", "center", "headCenter"] as const);
    if (what === "crop") rig.crop.size = v;
    if (what === "radii") rig.head.radii = [v, rig.head.radii[1]];
    if (what === "center") rig.face.center = [v, rig.face.center[1]];
    if (what === "headCenter") rig.head.center = [rig.head.center[0], v];
    return `${what} ${v}`;
  },
  contourPoint: (rig, rnd) => {
    const c = pick(rnd, points(rig));
    const i = Math.floor(rnd() * c.length);
    c[i] = [pick(rnd, WEIRD), c[i]![1]];
    return `contour point ${c[i]![0]}`;
  },
  contourEmpty: (rig, rnd) => {
    pick(rnd, points(rig)).length = 0;
    return "empty contour";
  },
  contourCollapse: (rig, rnd) => {
    // Every point of the inner lips (or of an eye) on one vertical line: zero width.
    const group = pick(rnd, [[4, 5], [0, 1], [2, 3]]);
    const all = points(rig);
    const x = all[group[0]!]![0]?.[0] ?? 0.5;
    for (const g of group) for (const p of all[g]!) p[0] = x;
    return `collapse ${group.join("+")}`;
  },
  version: (rig, rnd) => {
    if (rnd() < 0.5) (rig as { version: number }).version = 1;
    else (rig as { kind: string }).kind = "other";
    return "kind/version";
  },
  rebuildMesh: (rig, rnd) => {
    // The mesh rebuilt from mutated geometry, as a builder would: it must refuse or stay consistent.
    const s = pick(rnd, [0.02, 0.5, 2, 40]);
    for (const c of points(rig)) for (const p of c) p[0] = rig.face.center[0] + (p[0] - rig.face.center[0]) * (rnd() < 0.5 ? s : 1);
    const { kind: _k, version: _v, mesh: _m, region: _r, ...g } = rig;
    try {
      Object.assign(rig, buildMesh(g as RigGeometry));
    } catch (error) {
      if (!(error instanceof RigError)) throw error;
      return `rebuild refused (${error.code})`;
    }
    return `rebuild x${s}`;
  },
};
const NAMES = Object.keys(MUTATIONS);

describe("compileRig on corrupt and degenerate rigs", () => {
  it("compiles the demo rig into a valid model", () => {
    expect(modelViolations(compileRig(base))).toEqual([]);
  });

  it("turns 2000 seeded corruptions into valid models or coded RigErrors, never a RangeError or NaN", () => {
    const rnd = prng(7031);
    const failures: string[] = [];
    const codes = new Set<string>();
    for (let trial = 0; trial < 2000 && failures.length < 8; trial++) {
      const rig = structuredClone(base);
      const ops: string[] = [];
      try {
        for (let n = 1 + Math.floor(rnd() * 2); n > 0; n--) {
          const name = pick(rnd, NAMES);
          ops.push(name);
          ops[ops.length - 1] = MUTATIONS[name]!(rig, rnd);
        }
        const violations = modelViolations(compileRig(rig));
        if (violations.length > 0) failures.push(`trial ${trial} [${ops.join(", ")}]: ${violations.join("; ")}`);
      } catch (error) {
        if (error instanceof RigError && error.message.length > 20) codes.add(error.code);
        else failures.push(`trial ${trial} [${ops.join(", ")}]: ${String(error)}`);
      }
    }
    expect(failures).toEqual([]);
    expect([...codes].sort()).toEqual(["rig_degenerate", "rig_malformed"]);
  });
});
