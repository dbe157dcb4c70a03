import { z } from "zod";
import type { MouthParams } from "@/core/visemes/mouth-params";
import { MOUTH_KEYS } from "@/core/visemes/mouth-params";
import { VISEMES, pickViseme, type VisemeName } from "@/core/visemes/visemes";
import type { VisemeErrorCode } from "@/core/visemes/errors";

/**
 * Messages between a page and workers/lipsync/worker.ts. Requests carry `id`,
 * replies carry `ref` = that id; failures are replies of type "error". Audio
 * goes in and frames come out as transferred Float32Arrays (no copies).
 */
const id = z.number().int().nonnegative();
const streamId = z.string().min(1).max(64);
const pcm = z.instanceof(Float32Array);
const rate = z.number().int().min(4000).max(384000);

export const requestSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("init"),
    id,
    modelUrl: z.string().min(1).default("/models/visemes-v3.onnx"),
    ep: z.enum(["wasm", "webgpu"]).default("wasm"),
    wasmPaths: z.string().min(1).default("/ort/"),
    threads: z.number().int().min(1).max(16).default(1),
  }),
  z.object({ type: z.literal("open"), id, stream: streamId, sampleRate: rate }),
  z.object({ type: z.literal("push"), id, stream: streamId, pcm }),
  z.object({ type: z.literal("end"), id, stream: streamId }),
  z.object({ type: z.literal("analyze"), id, pcm, sampleRate: rate }),
]);
export type LipsyncRequest = z.input<typeof requestSchema>;
export type ParsedRequest = z.output<typeof requestSchema>;

/** Frames packed for transfer: rows of 15 probabilities and 5 mouth values. */
export type PackedFrames = { first: number; count: number; probs: Float32Array; mouth: Float32Array };

export type LipsyncReply =
  | { type: "ready"; ref: number; ep: "wasm" | "webgpu"; warmupMs: number; loadMs: number }
  | { type: "opened"; ref: number; stream: string }
  | { type: "frames"; ref: number; stream: string | null; final: boolean; frames: PackedFrames; computeMs: number; nonFiniteSamples: number }
  | { type: "error"; ref: number | null; code: LipsyncErrorCode; message: string };

export type LipsyncErrorCode = VisemeErrorCode | "bad_request" | "not_initialised" | "unknown_stream" | "init_failed";

/** A frame as the page uses it (unpacked from PackedFrames). */
export type WireFrame = { index: number; t: number; viseme: VisemeName; probs: Float32Array; mouth: MouthParams };

export function unpackFrames(p: PackedFrames, fps = 100): WireFrame[] {
  const out: WireFrame[] = [];
  for (let i = 0; i < p.count; i++) {
    const probs = p.probs.subarray(i * VISEMES.length, (i + 1) * VISEMES.length);
    const m = p.mouth.subarray(i * MOUTH_KEYS.length, (i + 1) * MOUTH_KEYS.length);
    const mouth = Object.fromEntries(MOUTH_KEYS.map((k, j) => [k, m[j]!])) as unknown as MouthParams;
    out.push({ index: p.first + i, t: (p.first + i) / fps, viseme: VISEMES[pickViseme(probs)]!, probs, mouth });
  }
  return out;
}
