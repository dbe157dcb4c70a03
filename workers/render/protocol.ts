import { z } from "zod";
import type { FrameInput } from "@/core/render/deform";
import type { Rig } from "@/core/render/rig";
import { RIG_KIND, RIG_VERSION } from "@/core/render/rig";
import type { LoopPlan } from "@/core/video/video-frames";
import type { ClockSync, MouthKey } from "./mouth-timeline";

/**
 * A source-video avatar's loop for the worker: its frames decoded once by the page (the rig's crop
 * at the output size, forward order) and the plan that says how they play and where the face is.
 */
export type VideoLoop = { frames: ImageBitmap[]; plan: LoopPlan };

/** Where frames are drawn: the viewer's GPU, the viewer's CPU (2D canvas), or the server (the page plays its frames). */
export type RenderTier = "webgpu" | "canvas2d" | "server";
export type WorkerTier = Exclude<RenderTier, "server">;

/**
 * Page -> worker. The worker runs its own animation loop; the page posts state changes only: mouth
 * keys stamped on the avatar clock (with a clock sync), the listening pose, the avatar going idle,
 * play / pause. Requests carry an `id`; the reply carries it back as `ref`.
 */
export type ToRenderWorker =
  | { type: "init"; id: number; canvas: OffscreenCanvas; rig: Rig; portrait: ImageBitmap; tier?: WorkerTier; video?: VideoLoop }
  | { type: "mouth"; keys: MouthKey[]; clock?: ClockSync }
  | { type: "listening"; on: boolean }
  | { type: "rest" }
  | { type: "play" }
  | { type: "pause" }
  /** Pauses the loop and draws exactly this frame (tests, stills); replies "rendered". */
  | ({ type: "still"; id: number } & FrameInput)
  | { type: "snapshot"; id: number }
  | { type: "canvas"; canvas: OffscreenCanvas }
  | { type: "bench"; id: number; frames: number }
  | { type: "dispose"; id: number };

/** Worker -> page. Errors are replies too, never thrown across the boundary. */
export type FromRenderWorker =
  | { type: "ready"; ref: number; tier: WorkerTier; fallbackReason?: string; adapter?: string }
  | { type: "rendered"; ref: number; ms: number }
  /** `t`: avatar-clock time of the mouth on screen (-1 before any key). */
  | { type: "snapshot"; ref: number; width: number; height: number; t: number; rgba: ArrayBuffer }
  | { type: "bench"; ref: number; frames: number; msPerFrame: number }
  | { type: "disposed"; ref: number }
  /** Frames the loop drew over the last second; sent once a second while it plays. */
  | { type: "stats"; fps: number }
  /** `needsCanvas`: the old canvas is bound to WebGPU; send a fresh one ({type: "canvas"}) to show CPU frames. */
  | { type: "tier-changed"; tier: WorkerTier; reason: string; needsCanvas: boolean }
  | { type: "error"; ref: number | null; code: RenderErrorCode; message: string };

export type RenderErrorCode = "bad_message" | "not_initialised" | "webgpu_failed" | "render_failed" | "device_lost";

const unit = z.number().finite();
const mouth = z.object({ jawOpen: unit, lipWidth: unit, pucker: unit, lipsPressed: unit, upperLipRaise: unit });
const idle = z.object({ timeSec: unit, listening: unit });
const tier = z.enum(["webgpu", "canvas2d"]);
const offscreen = z.custom<OffscreenCanvas>((v) => typeof OffscreenCanvas !== "undefined" && v instanceof OffscreenCanvas);
// The rig is checked for kind, version and the arrays the renderers index; geometry values are trusted numbers.
const rig = z
  .object({
    kind: z.literal(RIG_KIND),
    version: z.literal(RIG_VERSION),
    mesh: z.object({ cols: z.number().int().min(2), rows: z.number().int().min(2), positions: z.array(unit) }).passthrough(),
    seed: z.number().int(),
  })
  .passthrough();

const bitmap = z.custom<ImageBitmap>((v) => typeof ImageBitmap !== "undefined" && v instanceof ImageBitmap);
// A loop is at most 20 s at 25 fps (the plan's bounds); its track has one pose per frame.
const videoLoop = z
  .object({
    frames: z.array(bitmap).min(1).max(500),
    plan: z.object({
      output: z.object({ size: z.number().int().min(16), fps: z.number().min(1).max(60) }),
      loop: z.object({ mode: z.enum(["cut", "pingpong"]), frames: z.number().int().min(1) }).passthrough(),
      rigTrack: z.array(z.tuple([unit, unit, unit, unit])).min(1).max(500),
    }),
  })
  .refine((v) => v.frames.length === v.plan.rigTrack.length, { message: "one frame per rig track entry" });

const message = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("init"),
    id: z.number().int(),
    canvas: offscreen,
    rig,
    portrait: bitmap,
    tier: tier.optional(),
    video: videoLoop.optional(),
  }),
  // A turn's worth of keys at 100 fps for 100 s is the most one message carries.
  z.object({
    type: z.literal("mouth"),
    keys: z.array(z.object({ t: unit, mouth })).max(10_000),
    clock: z.object({ t: unit, wallMs: unit }).optional(),
  }),
  z.object({ type: z.literal("listening"), on: z.boolean() }),
  z.object({ type: z.literal("rest") }),
  z.object({ type: z.literal("play") }),
  z.object({ type: z.literal("pause") }),
  z.object({ type: z.literal("still"), id: z.number().int(), mouth, idle }),
  z.object({ type: z.literal("snapshot"), id: z.number().int() }),
  z.object({ type: z.literal("canvas"), canvas: offscreen }),
  z.object({ type: z.literal("bench"), id: z.number().int(), frames: z.number().int().min(1).max(10_000) }),
  z.object({ type: z.literal("dispose"), id: z.number().int() }),
]);

/** Parses a message arriving at the worker; returns null (and the reason) for anything malformed. */
export function parseToRenderWorker(data: unknown): { ok: true; msg: ToRenderWorker } | { ok: false; id: number | null; reason: string } {
  const r = message.safeParse(data);
  if (r.success) return { ok: true, msg: r.data as unknown as ToRenderWorker };
  const id = typeof data === "object" && data !== null && typeof (data as { id?: unknown }).id === "number" ? (data as { id: number }).id : null;
  return { ok: false, id, reason: r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
}
