import "server-only";
import { AppError } from "@/server/errors";
import { logger } from "@/server/logger";
import { assetDepsFromEnv } from "@/server/services/assets";
import type { RemoteDeps } from "@/server/services/assets/remote";
import { runLipsync } from "@/server/services/realtime/lipsync";
import type { JobHandler } from "../worker";

/** A job's answer: the render's result, or the refusal the request must see (bad audio, no credits …). */
export type LipsyncOutput = { ok: Awaited<ReturnType<typeof runLipsync>> } | { error: { code: string; message: string; kind: AppError["kind"]; field?: string; retryable: boolean } };

/**
 * Renders one lipsync request. Idempotent through the job id the video is stored under (see
 * lipsync-job-video.ts). A refusal (an AppError that retrying cannot fix) completes the job with
 * the error as its output, so the waiting request answers it; anything else is retried.
 * `deps` replaces the environment's asset dependencies (tests: an address policy for a local origin).
 */
export function lipsyncRenderJob(deps: () => RemoteDeps = assetDepsFromEnv): JobHandler<"lipsync-render"> {
  return {
    async run(db, { caller, input, baseUrl }, ctx): Promise<LipsyncOutput> {
      const owner = { ...caller, log: logger.child({ jobId: ctx.jobId, tenantId: caller.tenantId }) };
      try {
        return { ok: await runLipsync(db, owner, input, { ...deps(), baseUrl }, ctx.signal, { jobId: ctx.jobId }) };
      } catch (error) {
        if (error instanceof AppError && !error.retryable && error.kind !== "unavailable" && error.kind !== "upstream_failed") {
          return { error: { code: error.code, message: error.message, kind: error.kind, field: error.details.field, retryable: false } };
        }
        throw error;
      }
    },
    // The request waiting on it reads the failed job; its hold was voided or is expired by the sweeper.
    failed: async () => undefined,
  };
}
