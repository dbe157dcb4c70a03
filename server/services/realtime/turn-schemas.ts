import "server-only";
import { z } from "zod";
import { storableJsonObject, storableText } from "@/core/text/storable";

// Request bodies of the engine operations, as the contract defines them. The contract leaves these
// objects open (no additionalProperties: false), so unknown fields are tolerated, not rejected.

const sourceKind = z.enum(["portrait", "source_video"]);
const avatarId = storableText.regex(/^ava_/, "must be a platform avatar id (ava_…)");
// Not stored, but bounded like every JSON field: what parses here is serialised again later.
const videoCache = storableJsonObject("video_cache");

export const realtimePrepareRequest = z.object({
  avatar_id: avatarId,
  source_kind: sourceKind.default("portrait"),
  video_cache_id: storableText.nullable().optional(),
  video_cache: videoCache.optional(),
});

export const realtimeTurnRequest = z.object({
  avatar_id: avatarId,
  mode: z.enum(["chat", "speak_text"]).default("chat"),
  messages: z
    .array(z.object({ role: z.enum(["user", "assistant", "system"]), content: storableText.min(1).max(8000) }))
    .max(24)
    .optional(),
  text: storableText.min(1).max(4000).nullable().optional(),
  voice_id: storableText.min(8).max(120).nullable().optional(),
  emotion: storableText.default("curious"),
  language: storableText.default("en"),
  speed: z.number().default(1),
  background_id: storableText.default("plain_white"),
  source_kind: sourceKind.default("portrait"),
  video_cache_id: storableText.nullable().optional(),
  low_latency_first_chunk: z.boolean().default(false),
  playout_delay_ms: z.number().int().min(0).max(2000).default(520),
  max_buffer_delay_ms: z.number().int().min(0).max(5000).default(120),
});

export const videoCachePlanRequest = z.object({
  avatar_id: avatarId,
  video_cache: videoCache.optional(),
});

export const lipsyncRequest = z
  .object({
    audioUrl: z.url({ protocol: /^https?$/ }),
    avatarId: avatarId.optional(),
    portraitUrl: z.url({ protocol: /^https?$/ }).optional(),
    backgroundId: storableText.optional(),
  })
  .refine((v) => Boolean(v.avatarId) !== Boolean(v.portraitUrl), { message: "provide exactly one of avatarId or portraitUrl", path: ["avatarId"] });
