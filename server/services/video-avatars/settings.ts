import "server-only";
import { z } from "zod";
import { AppError } from "@/server/errors";

/** The contract's `video_cache` overrides (docs/video-avatars.md): output fps and size, loop bounds and length. */
export const videoCacheSettings = z
  .object({
    fps: z.number().int().min(5).max(25).optional(),
    size: z.number().int().min(128).max(512).refine((v) => v % 2 === 0, "size must be even").optional(),
    loop_start_s: z.number().min(0).max(60).optional(),
    loop_end_s: z.number().min(0).max(60).optional(),
    min_loop_s: z.number().min(1).max(10).optional(),
    // A loop is held decoded while it is spoken on (server and browser): 10 s at 25 fps is 250 frames.
    max_loop_s: z.number().min(1).max(10).optional(),
  })
  .strict()
  .refine((v) => v.loop_start_s === undefined || v.loop_end_s === undefined || v.loop_end_s - v.loop_start_s >= 1, { message: "loop_end_s must be at least 1 s after loop_start_s", path: ["loop_end_s"] })
  .refine((v) => v.min_loop_s === undefined || v.max_loop_s === undefined || v.max_loop_s >= v.min_loop_s, { message: "max_loop_s must not be below min_loop_s", path: ["max_loop_s"] });
export type VideoCacheSettings = z.infer<typeof videoCacheSettings>;

/** Parses overrides into a 422 naming the field and the allowed range. */
export function parseVideoCacheSettings(raw: unknown): VideoCacheSettings {
  const r = videoCacheSettings.safeParse(raw ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = ["video_cache", ...issue.path.map(String)].join(".");
  throw new AppError("invalid_input", `${field}: ${issue.message} (allowed: fps 5–25, size 128–512 even, loop_start_s/loop_end_s within the clip, min_loop_s/max_loop_s 1–10).`, { field });
}

/** Canonical JSON of the overrides: the same overrides find the same cache. */
export function settingsKey(s: VideoCacheSettings): string {
  return JSON.stringify(Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b))));
}
