import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { enqueue, failureMessage, jobIdFor, waitForJob } from "@/server/jobs";
import type { LipsyncOutput } from "@/server/jobs/handlers/lipsync-render";
import type { LipsyncInput, LipsyncResult } from "./lipsync";
import type { Environment } from "../credits/ledger";

export type LipsyncRequester = { tenantId: string; environment: Environment; apiKeyId: string | null; idempotencyKey?: string | null };

/**
 * POST /api/v1/lipsync: the render runs as a durable job (any worker may take it) and the request
 * waits on it. A client that leaves stops waiting, not the job: it is billed once stored, and the
 * same Idempotency-Key sent again joins the same job (its id is derived from the key) for the result.
 */
export async function requestLipsync(db: Db, who: LipsyncRequester, input: LipsyncInput, baseUrl: string, signal?: AbortSignal): Promise<LipsyncResult> {
  const id = who.idempotencyKey ? jobIdFor("lipsync", who.tenantId, who.apiKeyId ?? "", who.idempotencyKey) : randomUUID();
  await enqueue(db, "lipsync-render", { caller: { tenantId: who.tenantId, environment: who.environment, apiKeyId: who.apiKeyId }, input, baseUrl }, { id });
  const job = await waitForJob(db, "lipsync-render", id, signal);
  if (job.state === "completed") {
    const out = job.output as LipsyncOutput;
    if ("ok" in out) return out.ok;
    throw new AppError(out.error.code, out.error.message, { kind: out.error.kind, field: out.error.field, retryable: out.error.retryable });
  }
  throw new AppError("upstream_failed", `The lipsync render failed after ${job.attempts} attempts: ${failureMessage(job.output)}`, { retryable: true });
}
