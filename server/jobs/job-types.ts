import "server-only";
import { z } from "zod";

// Every kind of durable job, the shape of its data (parsed when a worker takes it: rows written by
// an older or newer release must not be trusted blindly) and how it is retried.

const caller = z.object({ tenantId: z.string(), environment: z.enum(["test", "live"]), apiKeyId: z.string().nullable() });

export const JOB_DATA = {
  /** Builds an avatar's rig from its portrait (server/services/realtime/prepare.ts). */
  "prepare-avatar": z.object({ tenantId: z.string(), avatarId: z.string() }),
  /** Renders a source-video avatar's loop for a plan (server/services/video-avatars/caches.ts). */
  "build-video-cache": z.object({ tenantId: z.string(), cacheId: z.string() }),
  /** Renders a lipsync MP4 (server/services/realtime/lipsync.ts); POST /api/v1/lipsync waits for it. */
  "lipsync-render": z.object({
    caller,
    input: z.object({ audioUrl: z.string(), avatarId: z.string().optional(), portraitUrl: z.string().optional(), backgroundId: z.string().optional() }),
    baseUrl: z.string(),
  }),
  /**
   * One attempt of an outbound webhook delivery (server/services/webhooks/deliveries.ts): the row
   * holds the body, the receiver and the log; a failed attempt queues the next as a new job at the
   * row's next_attempt_at (the webhook's own backoff), so this job's retries cover only a worker
   * that died or a database error mid-attempt. `attempt` and `dueAt` name the attempt the job was
   * queued for (the row's attempts and next_attempt_at then), so a late failure of this job cannot
   * touch a later attempt, e.g. one the dashboard's Redeliver queued; jobs queued before they
   * existed lack them.
   */
  "webhook-delivery": z.object({ tenantId: z.string(), deliveryId: z.string(), attempt: z.number().int().nonnegative().optional(), dueAt: z.string().datetime().optional() }),
} as const;

export type JobType = keyof typeof JOB_DATA;
export type JobData<T extends JobType> = z.infer<(typeof JOB_DATA)[T]>;
export const JOB_TYPES = Object.keys(JOB_DATA) as JobType[];

/** Where jobs that exhausted their retries are copied (pg-boss dead letter): its handler marks what they were for `failed`. */
export const DEAD_LETTER = "job-failed";

/** Attempts after the first (a SIGKILLed attempt counts as one). */
export const RETRY_LIMIT: Record<JobType, number> = { "prepare-avatar": 3, "build-video-cache": 2, "lipsync-render": 2, "webhook-delivery": 3 };
