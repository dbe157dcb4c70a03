import * as z from "zod/mini";
import type { PackedFrames } from "./frames";
import type { VisemeErrorCode } from "@/core/visemes/errors";
import { VISEME_MODEL_PATH } from "@/core/visemes/model-spec";

/**
 * Messages between a page and workers/lipsync/worker.ts. Requests carry `id`,
 * replies carry `ref` = that id; failures are replies of type "error". Audio
 * goes in and frames come out as transferred Float32Arrays (no copies).
 */
// zod/mini: the worker loads on customers' pages too (the widget's audio mode), so it stays small.
const int = () => z.number().check(z.int());
const id = int().check(z.nonnegative());
const streamId = z.string().check(z.minLength(1), z.maxLength(64));
const pcm = z.instanceof(Float32Array);
const rate = int().check(z.minimum(4000), z.maximum(384000));
const text = () => z.string().check(z.minLength(1));

export const requestSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("init"),
    id,
    modelUrl: z._default(text(), VISEME_MODEL_PATH),
    ep: z._default(z.enum(["wasm", "webgpu"]), "wasm"),
    wasmPaths: z._default(text(), "/ort/"),
    threads: z._default(int().check(z.minimum(1), z.maximum(16)), 1),
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
