import "server-only";
import { inBuildQueue, runJsonChild } from "@/server/portrait/prepare-in-child";
import type { VideoAnalysis } from "./analyse";

/** A refusal from the analysis: a VideoError or portrait code with the message that says what to change. */
export class VideoRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Analyses the video at `path` in a child process, in the landmark build queue (one at a time per process). */
export function analyseVideoInChild(path: string, opts: { root?: string; timeoutMs?: number } = {}): Promise<VideoAnalysis> {
  return inBuildQueue(() =>
    runJsonChild<VideoAnalysis, string>("server/video-avatar/analyse-child.ts", new TextEncoder().encode(JSON.stringify({ path })), {
      root: opts.root ?? process.cwd(),
      timeoutMs: opts.timeoutMs ?? 300_000,
      refused: (code, message) => new VideoRefused(code, message),
    }),
  );
}
