import { z } from "zod";
import type { IdleInput } from "@/core/render/idle";
import type { MouthParams } from "@/core/render/mouth";
import type { Rig } from "@/core/render/rig";
import { RIG_KIND, RIG_VERSION } from "@/core/render/rig";

/** Where frames are drawn: the viewer's GPU, the viewer's CPU (2D canvas), or the server (the page plays its frames). */
export type RenderTier = "webgpu" | "canvas2d" | "server";
export type WorkerTier = Exclude<RenderTier, "server">;

/** Page -> worker. Requests carry an `id`; the reply carries it back as `ref`. */
export type ToRenderWorker =
  | { type: "init"; id: number; canvas: OffscreenCanvas; rig: Rig; portrait: ImageBitmap; tier?: WorkerTier; shaderUrl?: string }
  | { type: "frame"; id?: number; mouth: MouthParams; idle: IdleInput }
  | { type: "snapshot"; id: number }
  | { type: "canvas"; canvas: OffscreenCanvas }
  | { type: "bench"; id: number; frames: number }
  | { type: "dispose"; id: number };

/** Worker -> page. Errors are replies too, never thrown across the boundary. */
export type FromRenderWorker =
  | { type: "ready"; ref: number; tier: WorkerTier; fallbackReason?: string; adapter?: string }
  | { type: "rendered"; ref: number; ms: number }
  | { type: "snapshot"; ref: number; width: number; height: number; rgba: ArrayBuffer }
  | { type: "bench"; ref: number; frames: number; msPerFrame: number }
  | { type: "disposed"; ref: number }
  /** `needsCanvas`: the old canvas is bound to WebGPU; send a fresh one ({type: "canvas"}) to show CPU frames. */
  | { type: "tier-changed"; tier: WorkerTier; reason: string; needsCanvas: boolean }
  | { type: "error"; ref: number | null; code: RenderErrorCode; message: string };

export type RenderErrorCode = "bad_message" | "not_initialised" | "webgpu_failed" | "render_failed" | "device_lost";

const unit = z.number().finite();
const mouth = z.object({ jawOpen: unit, lipWidth: unit, pucker: unit, lipsPressed: unit, upperLipRaise: unit });
const idle = z.object({ timeSec: unit, listening: unit });
const tier = z.enum(["webgpu", "canvas2d"]);
// The rig is checked for kind, version and the arrays the renderers index; geometry values are trusted numbers.
const rig = z
  .object({
    kind: z.literal(RIG_KIND),
    version: z.literal(RIG_VERSION),
    mesh: z.object({ cols: z.number().int().min(2), rows: z.number().int().min(2), positions: z.array(unit) }).passthrough(),
    seed: z.number().int(),
  })
  .passthrough();

const message = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("init"),
    id: z.number().int(),
    canvas: z.custom<OffscreenCanvas>((v) => typeof OffscreenCanvas !== "undefined" && v instanceof OffscreenCanvas),
    rig,
    portrait: z.custom<ImageBitmap>((v) => typeof ImageBitmap !== "undefined" && v instanceof ImageBitmap),
    tier: tier.optional(),
    shaderUrl: z.string().optional(),
  }),
  z.object({ type: z.literal("frame"), id: z.number().int().optional(), mouth, idle }),
  z.object({ type: z.literal("snapshot"), id: z.number().int() }),
  z.object({
    type: z.literal("canvas"),
    canvas: z.custom<OffscreenCanvas>((v) => typeof OffscreenCanvas !== "undefined" && v instanceof OffscreenCanvas),
  }),
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
