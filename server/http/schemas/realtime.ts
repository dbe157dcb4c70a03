import "server-only";
import { z } from "zod";

// Request bodies of the engine operations, as the contract defines them. The contract leaves these
// objects open (no additionalProperties: false), so unknown fields are tolerated, not rejected.

const sourceKind = z.enum(["portrait", "source_video"]);
const avatarId = z.string().regex(/^ava_/, "must be a platform avatar id (ava_…)");

export const realtimePrepareRequest = z.object({
  avatar_id: avatarId,
  source_kind: sourceKind.default("portrait"),
  video_cache_id: z.string().nullable().optional(),
  video_cache: z.record(z.string(), z.unknown()).optional(),
});

export const realtimeTurnRequest = z.object({
  avatar_id: avatarId,
  mode: z.enum(["chat", "speak_text"]).default("chat"),
  messages: z
    .array(z.object({ role: z.enum(["user", "assistant", "system"]), content: z.string().min(1).max(8000) }))
    .max(24)
    .optional(),
  text: z.string().min(1).max(4000).nullable().optional(),
  voice_id: z.string().min(8).max(120).nullable().optional(),
  emotion: z.string().default("curious"),
  language: z.string().default("en"),
  speed: z.number().default(1),
  background_id: z.string().default("plain_white"),
  source_kind: sourceKind.default("portrait"),
  video_cache_id: z.string().nullable().optional(),
  low_latency_first_chunk: z.boolean().default(false),
  playout_delay_ms: z.number().int().min(0).max(2000).default(520),
  max_buffer_delay_ms: z.number().int().min(0).max(5000).default(120),
});

export const videoCachePlanRequest = z.object({
  avatar_id: avatarId,
  video_cache: z.record(z.string(), z.unknown()).optional(),
});

export const lipsyncRequest = z
  .object({
    audioUrl: z.url({ protocol: /^https?$/ }),
    avatarId: avatarId.optional(),
    portraitUrl: z.url({ protocol: /^https?$/ }).optional(),
    backgroundId: z.string().optional(),
  })
  .refine((v) => Boolean(v.avatarId) !== Boolean(v.portraitUrl), { message: "provide exactly one of avatarId or portraitUrl", path: ["avatarId"] });
