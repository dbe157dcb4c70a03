import { smoothstep } from "./geometry";
import { idlePose, type IdleInput, type IdlePose } from "./idle";
import { FLOATS_PER_VERTEX, type MeshModel } from "./model";
import type { MouthParams } from "./mouth";

/**
 * Everything one frame depends on; a pure function of this and the rig gives the same pixels
 * everywhere. `pose` replaces the idle pose (a source video brings its own head motion and blinks).
 */
export type FrameInput = { mouth: MouthParams; idle: IdleInput; pose?: IdlePose };

/** Per-frame constants the rasterisers need besides the vertex buffer. */
export type FrameUniforms = { down: [number, number]; mouthWidth: number };

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : Number.isFinite(v) ? v : 0);

/**
 * Deforms the mesh for one frame into `out` (a vertex buffer laid out as FLOATS_PER_VERTEX).
 * Displacements are built in the face-local frame from the precomputed seam distances, so the
 * lips part exactly along the inner-lip seam and every field fades to zero at the head's edge.
 */
export function deformFrame(model: MeshModel, input: FrameInput, out: Float32Array = new Float32Array(model.template.length)): Float32Array {
  const { k, rig } = model;
  const m = input.mouth;
  const jaw = clamp01(m.jawOpen);
  const pressed = clamp01(m.lipsPressed);
  const pucker = clamp01(m.pucker);
  const spreadIn = clamp01(m.lipWidth);
  const raise = clamp01(m.upperLipRaise);
  const pose: IdlePose = input.pose ?? idlePose(rig.seed, input.idle);
  const mw = model.mouthWidth;

  // Centre gap; pressed lips override an open jaw (a /p b m/ closes whatever the vowel around it).
  // jaw^0.8 lifts the small openings of running speech (jaw ~0.3) where a linear map looked mumbled.
  const gap = mw * 0.6 * Math.pow(jaw, 0.8) * (1 - 0.9 * pressed);
  const upperShare = 0.22;
  const lift = gap * upperShare + mw * 0.07 * raise;
  const jawDrop = gap * (1 - upperShare);
  const spread = 0.14 * spreadIn - 0.22 * pucker - 0.05 * jaw;
  const thinning = 0.35 * pressed - 0.2 * pucker;

  const roll = rig.face.roll;
  const rs = Math.sin(roll);
  const rc = Math.cos(roll);
  const hs = Math.sin(pose.roll);
  const hc = Math.cos(pose.roll);
  const sc = 1 + pose.scale;
  const tx = pose.tx * rig.face.width;
  const ty = pose.ty * rig.face.width;
  const [px, py] = model.pivot;
  const t = model.template;
  out.set(t);

  const n = model.baseCount;
  for (let i = 0; i < n; i++) {
    const dist = k.dist[i]!;
    const tLip = k.tLip[i]!;
    const prof = k.prof[i]!;
    const closeHalf = k.closeHalf[i]!;
    const beyond = dist - tLip;
    // The whole lip shifts to close a mouth the portrait shows open; the skin beyond it stretches.
    const decClose = beyond <= 0 ? 1 : 1 - smoothstep(0, 0.5 * mw, beyond);
    const thin = beyond <= 0 ? (tLip > 1e-6 ? dist / tLip : 1) : 1 - smoothstep(0, 0.4 * mw, beyond);
    let dy: number;
    if (k.mouthSide[i]! < 0) {
      dy = closeHalf * decClose - prof * lift * (1 - smoothstep(0, 0.8 * mw, dist)) + tLip * thinning * thin;
    } else {
      // Beside the corners the jaw pull ramps in with distance, so the cheek never tears.
      const jawW = prof + (1 - prof) * smoothstep(0, 0.35 * mw, dist);
      dy = -closeHalf * decClose + jawDrop * k.wx[i]! * jawW * k.neck[i]! - tLip * thinning * thin;
    }
    let dx = k.relX[i]! * spread * k.wMouth[i]!;
    const eye = k.eye[i]!;
    if (eye >= 0) {
      const c = pose.blink[eye as 0 | 1];
      const ew = model.eyeWidth[eye as 0 | 1];
      const g = k.eyeGap[i]!;
      if (k.eyeSide[i]! < 0) dy += c * g * 0.98 * (1 - smoothstep(0, 0.45 * ew, k.eyeDist[i]!));
      else dy -= c * g * 0.08 * (1 - smoothstep(0, 0.25 * ew, k.eyeDist[i]!));
    }
    const mask = k.mask[i]!;
    dx *= mask;
    dy *= mask;
    const o = i * FLOATS_PER_VERTEX;
    let x = t[o]! + dx * rc - dy * rs;
    let y = t[o + 1]! + dx * rs + dy * rc;
    const w = k.wHead[i]!;
    if (w > 0) {
      const qx = px + sc * (hc * (x - px) - hs * (y - py)) + tx;
      const qy = py + sc * (hs * (x - px) + hc * (y - py)) + ty;
      x += w * (qx - x);
      y += w * (qy - y);
    }
    out[o] = x;
    out[o + 1] = y;
  }

  const { top, bottom, firstDup } = model.cavity;
  const [dnx, dny] = model.down;
  for (let j = 0; j < top.length; j++) {
    const a = top[j]! * FLOATS_PER_VERTEX;
    const b = bottom[j]! * FLOATS_PER_VERTEX;
    const da = (firstDup + 2 * j) * FLOATS_PER_VERTEX;
    const db = da + FLOATS_PER_VERTEX;
    const g = Math.max(0, (out[b]! - out[a]!) * dnx + (out[b + 1]! - out[a + 1]!) * dny);
    out[da] = out[a]!;
    out[da + 1] = out[a + 1]!;
    out[db] = out[b]!;
    out[db + 1] = out[b + 1]!;
    out[da + 5] = 0;
    out[db + 5] = g;
    out[da + 7] = g;
    out[db + 7] = g;
  }
  return out;
}

/** Uniforms of a frame (constant per avatar today, kept per frame so shaders need no other state). */
export function frameUniforms(model: MeshModel): FrameUniforms {
  return { down: model.down, mouthWidth: model.mouthWidth };
}
