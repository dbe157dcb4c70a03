import { deformFrame } from "../render/deform";
import type { IdlePose } from "../render/idle";
import type { MeshModel } from "../render/model";
import type { MouthParams } from "../render/mouth";
import { SoftwareRasterizer, type RgbaImage } from "../render/raster";
import { loopFrameForOutput, type VideoPlan } from "./loop-plan";
import { transformVertices } from "./similarity";

// The person's own motion: no idle sway or blinks on top of the source video.
const STILL: IdlePose = { blink: [0, 0], roll: 0, tx: 0, ty: 0, scale: 0, gaze: [0, 0] };
const REST_EPS = 0.01;

/** What every tier needs of a plan to play its loop. */
export type LoopPlan = Pick<VideoPlan, "loop" | "rigTrack" | "output">;

/** Whether a mouth shape is the rest shape (silence): the loop then plays untouched. */
export function mouthAtRest(m: MouthParams): boolean {
  return m.jawOpen < REST_EPS && m.lipsPressed < REST_EPS && m.pucker < REST_EPS && m.lipWidth < REST_EPS && m.upperLipRaise < REST_EPS;
}

/**
 * The vertex buffer of loop frame `k` speaking `mouth`: the portrait deformation (jaw, lips, inner
 * mouth) without idle motion, moved onto that frame's face by the plan's smoothed pose. Returns
 * false, leaving `out` alone, when the mouth is at rest: the frame is then the loop frame itself.
 * One function for the CPU rasteriser (server, canvas2d) and WebGPU.
 */
export function videoFrameVertices(model: MeshModel, plan: LoopPlan, k: number, mouth: MouthParams, out: Float32Array): boolean {
  if (mouthAtRest(mouth)) return false;
  deformFrame(model, { mouth, idle: { timeSec: 0, listening: 0 }, pose: STILL }, out);
  transformVertices(out, plan.rigTrack[Math.min(k, plan.rigTrack.length - 1)]!);
  return true;
}

/**
 * Speech on a looping source video, on the CPU rasteriser: each output frame takes its loop frame
 * as the texture and videoFrameVertices for the mouth. Used by server turn frames and lipsync MP4s.
 */
export class SourceVideoRenderer {
  private readonly raster: SoftwareRasterizer;
  private readonly vertices: Float32Array;
  /** Whether the last draw() re-animated the mouth (false: the loop frame was copied). */
  animated = false;

  constructor(
    readonly model: MeshModel,
    private readonly frames: readonly RgbaImage[],
    private readonly plan: LoopPlan,
  ) {
    if (frames.length === 0) throw new Error("A source-video loop needs at least one frame.");
    this.raster = new SoftwareRasterizer(model, frames[0]!);
    this.vertices = new Float32Array(model.template.length);
  }

  get size(): number {
    return this.raster.size;
  }

  /** The loop frame shown at output frame `n` of a stream at `fps`. */
  loopFrame(n: number, fps: number): number {
    return loopFrameForOutput(this.plan, n, fps) % this.frames.length;
  }

  /** Draws output frame `n` (at `fps`) with `mouth` into `out` (RGBA, size²). */
  draw(n: number, fps: number, mouth: MouthParams, out: Uint8Array): void {
    const k = this.loopFrame(n, fps);
    const frame = this.frames[k]!;
    this.animated = videoFrameVertices(this.model, this.plan, k, mouth, this.vertices);
    if (!this.animated) {
      out.set(frame.data);
      return;
    }
    this.raster.setTexture(frame);
    this.raster.render(this.vertices, out);
  }
}
