import * as z from "zod/mini";
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
export type ToRenderWorker = (
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
  | { type: "dispose"; id: number }
) & { slot?: number };

/** Worker -> page. Errors are replies too, never thrown across the boundary. */
export type FromRenderWorker =
  | { type: "ready"; ref: number; tier: WorkerTier; fallbackReason?: string; adapter?: string }
  | { type: "rendered"; ref: number; ms: number }
  /** `t`: avatar-clock time of the mouth on screen (-1 before any key). */
  | { type: "snapshot"; ref: number; width: number; height: number; t: number; rgba: ArrayBuffer }
  | { type: "bench"; ref: number; frames: number; msPerFrame: number }
  | { type: "disposed"; ref: number }
  /** Frames the loop drew over the last second; sent once a second while it plays. */
  | { type: "stats"; fps: number; slot?: number }
  /** `needsCanvas`: the old canvas is bound to WebGPU; send a fresh one ({type: "canvas"}) to show CPU frames. */
  | { type: "tier-changed"; tier: WorkerTier; reason: string; needsCanvas: boolean; slot?: number }
  | { type: "error"; ref: number | null; code: RenderErrorCode; message: string; slot?: number };

export type RenderErrorCode = "bad_message" | "not_initialised" | "webgpu_failed" | "render_failed" | "device_lost";

// zod/mini (the functional build) keeps the worker small: it is part of what the embeddable widget
// loads before its first frame (docs/widget.md). z.number() refuses Infinity and NaN already.
const unit = z.number();
const int = () => z.number().check(z.int());
const mouth = z.object({ jawOpen: unit, lipWidth: unit, pucker: unit, lipsPressed: unit, upperLipRaise: unit });
const idle = z.object({ timeSec: unit, listening: unit });
const keyFace = z.object({ emotion: z.number().check(z.int(), z.minimum(0), z.maximum(255)), brow: unit, nod: unit });
const expression = z.object({ smile: unit, cheek: unit, browRaise: unit, browKnit: unit, eyeOpen: unit, headPitch: unit, headRoll: unit });
const face = z.object({ expression, gesture: z.object({ brow: unit, nod: unit }) });
const tier = z.enum(["webgpu", "canvas2d"]);
const offscreen = z.custom<OffscreenCanvas>((v) => typeof OffscreenCanvas !== "undefined" && v instanceof OffscreenCanvas);
// The rig is checked for kind, version and the arrays the renderers index; geometry values are trusted numbers.
const rig = z.looseObject({
  kind: z.literal(RIG_KIND),
  version: z.literal(RIG_VERSION),
  mesh: z.looseObject({ cols: int().check(z.minimum(2)), rows: int().check(z.minimum(2)), positions: z.array(unit) }),
  seed: int(),
});

// `slot`: which renderer of a shared worker a message is for (the widget draws every avatar of a
// page from one worker on one GPU device); absent means 0, the only one of a dedicated worker.
const slot = z.optional(z.number().check(z.int(), z.minimum(0), z.maximum(1023)));
const msg = <S extends Record<string, z.core.SomeType>>(shape: S) => z.object({ ...shape, slot });

const bitmap = z.custom<ImageBitmap>((v) => typeof ImageBitmap !== "undefined" && v instanceof ImageBitmap);
// A loop is at most 20 s at 25 fps (the plan's bounds); its track has one pose per frame.
const videoLoop = z
  .object({
    frames: z.array(bitmap).check(z.minLength(1), z.maxLength(500)),
    plan: z.object({
      output: z.object({ size: int().check(z.minimum(16)), fps: z.number().check(z.minimum(1), z.maximum(60)) }),
      loop: z.looseObject({ mode: z.enum(["cut", "pingpong"]), frames: int().check(z.minimum(1)) }),
      rigTrack: z.array(z.tuple([unit, unit, unit, unit])).check(z.minLength(1), z.maxLength(500)),
    }),
  })
  .check(z.refine((v) => v.frames.length === v.plan.rigTrack.length, { message: "one frame per rig track entry" }));

const message = z.discriminatedUnion("type", [
  msg({
    type: z.literal("init"),
    id: int(),
    canvas: offscreen,
    rig,
    portrait: bitmap,
    tier: z.optional(tier),
    video: z.optional(videoLoop),
  }),
  // A turn's worth of keys at 100 fps for 100 s is the most one message carries.
  msg({
    type: z.literal("mouth"),
    keys: z.array(z.object({ t: unit, mouth, face: z.optional(keyFace) })).check(z.maxLength(10_000)),
    clock: z.optional(z.object({ t: unit, wallMs: unit })),
  }),
  msg({ type: z.literal("listening"), on: z.boolean() }),
  msg({ type: z.literal("rest") }),
  msg({ type: z.literal("play") }),
  msg({ type: z.literal("pause") }),
  msg({ type: z.literal("still"), id: int(), mouth, idle, face: z.optional(face) }),
  msg({ type: z.literal("snapshot"), id: int() }),
  msg({ type: z.literal("canvas"), canvas: offscreen }),
  msg({ type: z.literal("bench"), id: int(), frames: int().check(z.minimum(1), z.maximum(10_000)) }),
  msg({ type: z.literal("dispose"), id: int() }),
]);

/** Parses a message arriving at the worker; returns null (and the reason) for anything malformed. */
export function parseToRenderWorker(data: unknown): { ok: true; msg: ToRenderWorker } | { ok: false; id: number | null; reason: string } {
  const r = message.safeParse(data);
  if (r.success) return { ok: true, msg: r.data as unknown as ToRenderWorker };
  const id = typeof data === "object" && data !== null && typeof (data as { id?: unknown }).id === "number" ? (data as { id: number }).id : null;
  return { ok: false, id, reason: r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
}
