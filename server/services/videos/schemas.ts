import "server-only";
import { z } from "zod";
import { storableText } from "@/core/text/storable";

// The REST edge of text-to-video (seed 001's POST /inference, as /api/v1/videos): its fields named
// as there (`avatar`, `emotion`, `language`, `delayed`) plus ours (`avatar_id`, `audioUrl`, `voice_id`).

/** Seed 001's 17 languages, each spoken by the embedded espeak-ng (docs/videos.md). */
export const VIDEO_LANGUAGES = ["en", "es", "fr", "de", "it", "pt", "pl", "tr", "ru", "nl", "cs", "ar", "zh", "ja", "hu", "ko", "hi"] as const;
export const VIDEO_EMOTIONS = ["happy", "neutral", "serious"] as const;
/** Longest text a video speaks (about a minute and a half of espeak-ng speech). */
export const VIDEO_MAX_TEXT_CHARS = 1500;

export const createVideoInput = z
  .object({
    text: storableText.trim().min(1).max(VIDEO_MAX_TEXT_CHARS).optional(),
    audioUrl: z.string().url("audioUrl: an http(s) URL of an audio file").max(2048).optional(),
    avatar: z.string().min(1).max(64).optional(),
    avatar_id: z.string().min(1).max(64).optional(),
    emotion: z.enum(VIDEO_EMOTIONS).default("neutral"),
    language: z.enum(VIDEO_LANGUAGES).default("en"),
    voice_id: storableText.min(3).max(120).optional(),
    // Seed 001 accepts "true" as well as true.
    delayed: z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]).default(false),
  })
  .strict()
  .superRefine((v, ctx) => {
    if ((v.text === undefined) === (v.audioUrl === undefined)) {
      ctx.addIssue({ code: "custom", path: [v.text === undefined ? "text" : "audioUrl"], message: "give exactly one of text (spoken by our TTS) or audioUrl (your own speech)" });
    }
    if ((v.avatar === undefined) === (v.avatar_id === undefined)) {
      ctx.addIssue({ code: "custom", path: [v.avatar === undefined ? "avatar" : "avatar_id"], message: "give exactly one of avatar (a preset name) or avatar_id (your workspace's avatar)" });
    }
  });
export type CreateVideoInput = z.infer<typeof createVideoInput>;

export const createVideoQuery = z.object({ stream: z.enum(["true", "false"]).optional() }).strict();

export const listVideosQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    cursor: z.string().max(200).optional(),
  })
  .strict();
export type ListVideosQuery = z.infer<typeof listVideosQuery>;
