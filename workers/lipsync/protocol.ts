import { z } from "zod";
import type { PackedFrames } from "./frames";
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

export type LipsyncReply =
  | { type: "ready"; ref: number; ep: "wasm" | "webgpu"; warmupMs: number; loadMs: number }
  | { type: "opened"; ref: number; stream: string }
  | { type: "frames"; ref: number; stream: string | null; final: boolean; frames: PackedFrames; computeMs: number; nonFiniteSamples: number }
  | { type: "error"; ref: number | null; code: LipsyncErrorCode; message: string };

export type LipsyncErrorCode = VisemeErrorCode | "bad_request" | "not_initialised" | "unknown_stream" | "init_failed";

export { unpackFrames, type PackedFrames, type WireFrame } from "./frames";
