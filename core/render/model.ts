import { smoothstep } from "./geometry";
import { localFeatures, toImage } from "./mesh";
import type { Point, Rig } from "./rig";
import { assertCompilable, assertFeatures, assertFinite } from "./rig-check";

/** Vertex layout shared by every rasteriser: pos.xy | uv.xy | mouthU, depth, interiorH, gap | anchor.xy. */
export const FLOATS_PER_VERTEX = 10;

/**
 * A rig compiled for animation: the triangle list and, per vertex, the constants the per-frame
 * deformation needs (distances to the seams, falloff weights), so a frame is a few multiplies per vertex.
 */
export type MeshModel = {
  rig: Rig;
  baseCount: number;
  vertexCount: number;
  indices: Uint32Array;
  /** Vertex buffer at rest; a frame copies it and rewrites positions and cavity depths. */
  template: Float32Array;
  k: Record<
    | "mouthSide" | "prof" | "closeHalf" | "dist" | "tLip" | "wx" | "neck" | "wMouth" | "relX"
    | "eye" | "eyeSide" | "eyeGap" | "eyeDist" | "wHead" | "mask"
    // Expression weights (expression.ts): brow region, inner-brow pull (signed toward the midline),
    // cheek, mouth-corner pull (signed outward) and the eye interior a gaze slides.
    | "brow" | "knitX" | "cheek" | "cornerX" | "gazeW",
    Float32Array
  >;
  /** Base-vertex indices of the upper and lower inner-lip vertex of each mouth column. */
  cavity: { top: Int32Array; bottom: Int32Array; firstDup: number };
  /** Face-down unit vector in image space (the direction teeth and jaw move). */
  down: Point;
  mouthWidth: number;
  eyeWidth: [number, number];
  pivot: Point;
};

/** Compiles a rig into a MeshModel, once per avatar in each renderer; a rig it cannot animate throws RigError. */
export function compileRig(rig: Rig): MeshModel {
  assertCompilable(rig);
  const f = localFeatures(rig);
  assertFeatures(f);
  const { cols, rows, positions, rowOf, mouthCols, eyeCols } = rig.mesh;
  const baseCount = cols * rows;
  const [c0, c1] = mouthCols;
  const spanCols = c1 - c0 + 1;
  const vertexCount = baseCount + 2 * spanCols;
  const inner = f.mouth.inner;
  const mouthW = inner.right[0] - inner.left[0];
  const mcx = (inner.left[0] + inner.right[0]) / 2;
  const mcy = (inner.left[1] + inner.right[1]) / 2;
  const halfW = mouthW / 2;
  const W = rig.face.width;
  const H = rig.face.height;
  const names = [
    "mouthSide", "prof", "closeHalf", "dist", "tLip", "wx", "neck", "wMouth", "relX", "eye", "eyeSide", "eyeGap", "eyeDist", "wHead", "mask",
    "brow", "knitX", "cheek", "cornerX", "gazeW",
  ] as const;
  const k = Object.fromEntries(names.map((n) => [n, new Float32Array(baseCount)])) as MeshModel["k"];
  const local = localRest(rig, f);
  const hc = rig.head.center;
  const [hrx, hry] = rig.head.radii;
  const c = f.curves;
  const eyeW = f.eyes.map((e) => e.right[0] - e.left[0]) as [number, number];
  const outside = new Uint8Array(baseCount);
  const eyeC = f.eyes.map((e) => [(e.left[0] + e.right[0]) / 2, (e.left[1] + e.right[1]) / 2] as Point);
  const eyeWm = (eyeW[0] + eyeW[1]) / 2;
  const innerX = Math.min(Math.abs(f.eyes[0].right[0]), Math.abs(f.eyes[1].left[0]));

  for (let r = 0; r < rows; r++) {
    for (let col = 0; col < cols; col++) {
      const i = r * cols + col;
      const lx = local[2 * i]!;
      const ly = local[2 * i + 1]!;
      const above = r <= rowOf.upperInnerLip;
      const inSpan = col > c0 && col < c1;
      const u = (lx - mcx) / halfW;
      k.mouthSide[i] = above ? -1 : 1;
      // Opening profile across the mouth: widest at the centre, closed at the corners.
      k.prof[i] = inSpan ? Math.pow(Math.max(0, 1 - u * u), 0.6) : 0;
      k.closeHalf[i] = inSpan ? Math.max(0, (c.lowerInner(lx) - c.upperInner(lx)) / 2) : 0;
      k.dist[i] = Math.max(0, above ? c.upperInner(lx) - ly : ly - c.lowerInner(lx));
      k.tLip[i] = Math.max(0, above ? c.upperInner(lx) - c.upperOuter(lx) : c.lowerOuter(lx) - c.lowerInner(lx));
      k.wx[i] = 1 - smoothstep(0.2 * W, 0.48 * W, Math.abs(lx - mcx));
      k.neck[i] = 1 - smoothstep(f.chinY, f.chinY + 0.3 * H, ly);
      const mr = Math.hypot((lx - mcx) / (1.15 * halfW), (ly - mcy) / (1.4 * halfW));
      k.wMouth[i] = 1 - smoothstep(0.6, 1.7, mr);
      k.relX[i] = lx - mcx;
      const eye = eyeCols.findIndex(([a, b]) => col > a && col < b);
      k.eye[i] = eye;
      k.eyeSide[i] = r <= rowOf.upperLid ? -1 : 1;
      k.eyeGap[i] = eye < 0 ? 0 : Math.max(0, c.lowerLid(lx) - c.upperLid(lx));
      k.eyeDist[i] = Math.max(0, r <= rowOf.upperLid ? c.upperLid(lx) - ly : ly - c.lowerLid(lx));
      expressionWeights(k, i, lx, ly, r, eye >= 0, { eyeC, eyeWm, innerX, mcx, mcy, halfW, lidTop: c.upperLid, rowOf });
      const x = positions[2 * i]!;
      const y = positions[2 * i + 1]!;
      const er = Math.hypot((x - hc[0]) / hrx, (y - hc[1]) / hry);
      // The head sways as a whole but hair edges barely move, so the background stays put.
      k.wHead[i] = 1 - smoothstep(0.4, 0.8, er);
      k.mask[i] = 1 - smoothstep(0.6, 0.85, er);
      outside[i] = er >= 1 ? 1 : 0;
    }
  }

  const template = new Float32Array(vertexCount * FLOATS_PER_VERTEX);
  for (let i = 0; i < baseCount; i++) {
    const o = i * FLOATS_PER_VERTEX;
    template[o] = template[o + 2] = positions[2 * i]!;
    template[o + 1] = template[o + 3] = positions[2 * i + 1]!;
    template[o + 7] = -1; // gap < 0: not a cavity vertex
  }
  // Landmarks put the inner lip edge within ~1 px; sample the lips a little inside that edge so a
  // portrait's own teeth do not leave a pale seam along the lips when they close.
  // The lower edge sits deeper: the portrait's teeth end in a grey shadow on the lower lip.
  const px = 1 / rig.crop.size;
  const [dnx0, dny0] = [-Math.sin(rig.face.roll), Math.cos(rig.face.roll)];
  for (let col = c0 + 1; col < c1; col++) {
    const half = k.closeHalf[rowOf.upperInnerLip * cols + col]!;
    for (const [row, sign, inset] of [[rowOf.upperInnerLip, -1, 1.5 * px], [rowOf.lowerInnerLip, 1, 2.5 * px]] as const) {
      const d = Math.min(inset, half);
      const o = (row * cols + col) * FLOATS_PER_VERTEX;
      template[o + 2] = template[o + 2]! + sign * d * dnx0;
      template[o + 3] = template[o + 3]! + sign * d * dny0;
    }
  }
  const top = new Int32Array(spanCols);
  const bottom = new Int32Array(spanCols);
  for (let j = 0; j < spanCols; j++) {
    top[j] = rowOf.upperInnerLip * cols + c0 + j;
    bottom[j] = rowOf.lowerInnerLip * cols + c0 + j;
    for (const [dup, base] of [[baseCount + 2 * j, top[j]!], [baseCount + 2 * j + 1, bottom[j]!]] as const) {
      const o = dup * FLOATS_PER_VERTEX;
      const t = top[j]! * FLOATS_PER_VERTEX;
      template.set(template.subarray(base * FLOATS_PER_VERTEX, base * FLOATS_PER_VERTEX + 4), o);
      template[o + 4] = k.relX[base]! / halfW;
      template[o + 6] = rig.mouth.teethVisible ? 2 * k.closeHalf[top[j]!]! : 0;
      template[o + 7] = 0;
      template[o + 8] = template[t]!;
      template[o + 9] = template[t + 1]!;
    }
  }

  const idx: number[] = [];
  for (let r = 0; r + 1 < rows; r++) {
    for (let col = 0; col + 1 < cols; col++) {
      let a = r * cols + col;
      let b = a + 1;
      let d = a + cols;
      let e = d + 1;
      if (r === rowOf.upperInnerLip && col >= c0 && col < c1) {
        // The mouth row gets its own vertices: its triangles are shaded as the inner mouth.
        const j = col - c0;
        a = baseCount + 2 * j;
        b = baseCount + 2 * (j + 1);
        d = a + 1;
        e = b + 1;
      }
      idx.push(a, b, e, a, e, d);
    }
  }
  // Pin every vertex of a triangle that reaches outside the head ellipse: such triangles then
  // map the portrait onto itself exactly, which is the guarantee that background and clothing
  // never change (a moving vertex would resample pixels beyond the ellipse).
  for (let t = 0; t < idx.length; t += 3) {
    const [a, b, c] = [idx[t]!, idx[t + 1]!, idx[t + 2]!];
    if (a >= baseCount || b >= baseCount || c >= baseCount) continue;
    if (outside[a] || outside[b] || outside[c]) for (const v of [a, b, c]) k.mask[v] = k.wHead[v] = 0;
  }
  const down = toImage(rig, [0, 1]);
  const origin = toImage(rig, [0, 0]);
  const model: MeshModel = {
    rig,
    baseCount,
    vertexCount,
    indices: Uint32Array.from(idx),
    template,
    k,
    cavity: { top, bottom, firstDup: baseCount },
    down: [down[0] - origin[0], down[1] - origin[1]],
    mouthWidth: mouthW,
    eyeWidth: eyeW,
    pivot: toImage(rig, [0, f.chinY + 0.35 * H]),
  };
  // Finite inputs can still overflow (a face far outside its crop): no renderer gets a NaN vertex.
  assertFinite(template, "the compiled vertices");
  for (const v of Object.values(k)) assertFinite(v, "the deformation weights");
  assertFinite([...model.down, ...model.pivot], "the face axes");
  return model;
}

type ExpressionFrame = {
  eyeC: Point[];
  eyeWm: number;
  innerX: number;
  mcx: number;
  mcy: number;
  halfW: number;
  lidTop: (x: number) => number;
  rowOf: Rig["mesh"]["rowOf"];
};

/**
 * Where each expression moves the face, per vertex (face-local units). Brows: a band from the upper
 * lid up to ~1.6 eye widths above it, strongest ~0.6 eye widths above the lid (where brows sit).
 * Cheeks: below each eye. Corners: around each mouth corner. Gaze: the lid rows inside each eye.
 */
function expressionWeights(k: MeshModel["k"], i: number, lx: number, ly: number, r: number, inEye: boolean, e: ExpressionFrame): void {
  const near = e.eyeC[Math.abs(lx - e.eyeC[0]![0]) < Math.abs(lx - e.eyeC[1]![0]) ? 0 : 1]!;
  const ew = e.eyeWm;
  const across = 1 - smoothstep(0.75, 1.35, Math.abs(lx - near[0]) / ew);
  const above = e.lidTop(lx) - ly; // > 0 above the upper lid
  const brow = r < e.rowOf.upperLid ? smoothstep(0, 0.55 * ew, above) * (1 - smoothstep(0.9 * ew, 1.9 * ew, above)) : 0;
  k.brow[i] = brow * across;
  // Knitting pulls the inner ends: strongest at the inner eye corners, none past the eye's middle.
  const inner = 1 - smoothstep(-0.3 * ew, 0.7 * ew, Math.abs(lx) - e.innerX);
  k.knitX[i] = -Math.sign(lx) * brow * inner * (1 - smoothstep(0.9, 1.5, Math.abs(lx - near[0]) / ew + 0.5));
  const below = ly - near[1];
  const cheekR = Math.hypot((lx - near[0]) / (1.0 * ew), (below - 0.9 * ew) / (0.75 * ew));
  // The cheeks rise beside the nose, not the nose itself.
  const offNose = smoothstep(0.35 * ew, 0.85 * ew, Math.abs(lx - (e.eyeC[0]![0] + e.eyeC[1]![0]) / 2));
  k.cheek[i] = r > e.rowOf.lowerLid && r < e.rowOf.upperOuterLip + 1 ? (1 - smoothstep(0.25, 1.0, cheekR)) * offNose : r === e.rowOf.lowerLid && inEye ? 0.5 : 0;
  const side = lx < e.mcx ? -1 : 1;
  const cornerR = Math.hypot((lx - (e.mcx + side * e.halfW)) / (1.0 * e.halfW), (ly - e.mcy) / (0.75 * e.halfW));
  k.cornerX[i] = side * (1 - smoothstep(0.1, 1.0, cornerR));
  const onLid = r === e.rowOf.upperLid || r === e.rowOf.lowerLid;
  k.gazeW[i] = onLid && inEye ? Math.max(0, 1 - ((lx - near[0]) / (0.5 * ew)) ** 2) : 0;
}

function localRest(rig: Rig, f: ReturnType<typeof localFeatures>): Float32Array {
  void f;
  const p = rig.mesh.positions;
  const out = new Float32Array(p.length);
  const s = Math.sin(-rig.face.roll);
  const co = Math.cos(-rig.face.roll);
  const [cx, cy] = rig.face.center;
  for (let i = 0; i < p.length; i += 2) {
    const dx = p[i]! - cx;
    const dy = p[i + 1]! - cy;
    out[i] = dx * co - dy * s;
    out[i + 1] = dx * s + dy * co;
  }
  return out;
}

/**
 * Indices of the triangles that can move (any vertex inside the head mask or on the mouth seam).
 * The rest of the mesh maps the portrait onto itself, so renderers copy it instead of drawing it.
 */
export function movableIndices(model: MeshModel): Uint32Array {
  const { k, indices, baseCount } = model;
  const moves = (v: number) => v >= baseCount || k.mask[v]! > 0 || k.wHead[v]! > 0;
  const keep: number[] = [];
  for (let t = 0; t < indices.length; t += 3) {
    if (moves(indices[t]!) || moves(indices[t + 1]!) || moves(indices[t + 2]!)) keep.push(indices[t]!, indices[t + 1]!, indices[t + 2]!);
  }
  return Uint32Array.from(keep);
}
