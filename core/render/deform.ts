import { NEUTRAL_EXPRESSION, NO_GESTURE, type Expression, type Gesture } from "./expression";
import { smoothstep } from "./geometry";
import { idlePose, type IdleInput, type IdlePose } from "./idle";
import { FLOATS_PER_VERTEX, type MeshModel } from "./model";
import type { MouthParams } from "./mouth";

/**
 * Everything one frame depends on; a pure function of this and the rig gives the same pixels
 * everywhere. `pose` replaces the idle pose (a source video brings its own head motion and blinks).
 */
export type FrameInput = { mouth: MouthParams; idle: IdleInput; face?: FaceInput; pose?: IdlePose };

/** The expression (already blended: ExpressionBlend) and the speech gestures of a frame; absent: neutral. */
export type FaceInput = { expression: Expression; gesture: Gesture };

const NEUTRAL_FACE: FaceInput = { expression: NEUTRAL_EXPRESSION, gesture: NO_GESTURE };

/** Per-frame constants the rasterisers need besides the vertex buffer. */
export type FrameUniforms = { down: [number, number]; mouthWidth: number };

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : Number.isFinite(v) ? v : 0);
const clampS = (v: number) => (v < -1 ? -1 : v > 1 ? 1 : Number.isFinite(v) ? v : 0);

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
  const face = input.face ?? NEUTRAL_FACE;
  const ex = face.expression;
  const ges = face.gesture;
  const ewm = (model.eyeWidth[0] + model.eyeWidth[1]) / 2;
  // Expression amplitudes in face-local units (fractions of the eye width and mouth width).
  const browUp = ewm * (0.16 * clampS(ex.browRaise) + 0.1 * clamp01(ges.brow));
  const knit = ewm * 0.14 * clamp01(ex.browKnit);
  const smile = clamp01(ex.smile);
  const cornerUp = mw * 0.11 * smile;
  const cornerOut = mw * 0.06 * smile;
  const cheekUp = ewm * 0.12 * clamp01(ex.cheek);
  const lidOpen = 0.3 * clampS(ex.eyeOpen) + 0.1 * clamp01(ges.brow);
  const gazeX = ewm * 0.12 * pose.gaze[0];
  const gazeY = ewm * 0.05 * pose.gaze[1];

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
  const headRoll = pose.roll + clampS(ex.headRoll);
  const hs = Math.sin(headRoll);
  const hc = Math.cos(headRoll);
  // A nod and a pitch bias read, in a still photo's warp, as a small drop of the face with a slight shrink.
  const pitch = clampS(ex.headPitch) + 0.01 * clamp01(ges.nod);
  const sc = 1 + pose.scale - 0.3 * pitch;
  const tx = pose.tx * rig.face.width;
  const ty = (pose.ty + pitch) * rig.face.width;
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
    // Expression: brows, cheeks, mouth corners (a smile lifts the corners and spreads them).
    const brow = k.brow[i]!;
    const knitX = k.knitX[i]!;
    const cornerX = k.cornerX[i]!;
    const cheek = k.cheek[i]!;
    dy += -browUp * brow + knit * Math.abs(knitX) - cheekUp * cheek - cornerUp * Math.abs(cornerX);
    dx += knit * 0.8 * knitX + cornerOut * cornerX;
    const eye = k.eye[i]!;
    if (eye >= 0) {
      // Lids: a blink closes them; the expression opens (> 0) or narrows (< 0) them a little.
      const c = pose.blink[eye as 0 | 1];
      const ew = model.eyeWidth[eye as 0 | 1];
      const g = k.eyeGap[i]!;
      const close = c + (1 - c) * -lidOpen;
      if (k.eyeSide[i]! < 0) dy += close * g * 0.98 * (1 - smoothstep(0, 0.45 * ew, k.eyeDist[i]!));
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
    const gw = k.gazeW[i]!;
    if (gw > 0) {
      // Gaze: the eye's interior texture slides under fixed lids (looking right reads texels to the left).
      out[o + 2] = t[o + 2]! - gw * (gazeX * rc - gazeY * rs);
      out[o + 3] = t[o + 3]! - gw * (gazeX * rs + gazeY * rc);
    }
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
