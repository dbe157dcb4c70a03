import "server-only";
import { getEnv } from "@/server/env";
import type { ApiContext } from "@/server/http/api-route";
import type { Caller, SessionSettings } from "./sessions";

export { createSessionInput, listSessionsQuery } from "./schemas";
export { createSession, endSession, getSessionRow, listSessions, sessionTranscript } from "./sessions";
export { toCreatedSession, toSessionDetail, toSessionSummary } from "./dto";

/** The REST caller of a session operation. */
export function callerOf(ctx: ApiContext): Caller {
  return { tenantId: ctx.tenant.id, plan: ctx.tenant.plan, environment: ctx.key.environment, apiKeyId: ctx.key.id };
}

/** Session settings from the environment. */
export function sessionSettings(): SessionSettings {
  const env = getEnv();
  return { limits: env.REALTIME_SESSION_LIMITS, secretTtlS: env.REALTIME_SESSION_SECRET_TTL_S, ttsProvider: env.TTS_PROVIDER };
}
