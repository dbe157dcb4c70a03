import "server-only";
import { getEnv } from "@/server/env";
import type { Caller, SessionSettings } from "./sessions";

export { createSessionInput, listSessionsQuery, streamingStartInput } from "./schemas";
export { createSession, endSession, getSessionRow, listSessions, sessionTranscript } from "./sessions";
export { toCreatedSession, toSessionDetail, toSessionSummary } from "./dto";

/** The REST caller of a session operation (from the edge's context). */
export function callerOf(ctx: { tenant: { id: string; plan: string }; key: { id: string; environment: "test" | "live" } }): Caller {
  return { tenantId: ctx.tenant.id, plan: ctx.tenant.plan, environment: ctx.key.environment, apiKeyId: ctx.key.id };
}

/** Session settings from the environment. */
export function sessionSettings(): SessionSettings {
  const env = getEnv();
  return { limits: env.REALTIME_SESSION_LIMITS, secretTtlS: env.REALTIME_SESSION_SECRET_TTL_S, ttsProvider: env.TTS_PROVIDER, stt: async () => (await import("../speech")).getSttProvider(env) };
}
