import "server-only";
import { z } from "zod";

// Requests per second and burst per API key and per tenant, by plan: the built-in table, over which
// API_RATE_LIMITS (JSON, parsed with the rest of the environment by server/env.ts) is merged.

const planLimits = z.object({
  keyPerSecond: z.number().positive(),
  keyBurst: z.number().int().positive(),
  tenantPerSecond: z.number().positive(),
  tenantBurst: z.number().int().positive(),
});
export type PlanLimits = z.infer<typeof planLimits>;

export const DEFAULT_PLAN_LIMITS: Record<string, PlanLimits> = {
  free: { keyPerSecond: 20, keyBurst: 40, tenantPerSecond: 50, tenantBurst: 100 },
  pro: { keyPerSecond: 100, keyBurst: 200, tenantPerSecond: 300, tenantBurst: 600 },
  enterprise: { keyPerSecond: 1000, keyBurst: 2000, tenantPerSecond: 3000, tenantBurst: 6000 },
};

/** An env variable holding JSON per plan (`{"free": …, "pro": …}`), each value parsed by `value`, merged over `defaults`. */
function perPlanVariable<T>(value: z.ZodType<T>, defaults: Record<string, T>) {
  return z
    .string()
    .optional()
    .transform((json, ctx): Record<string, T> => {
      if (!json) return defaults;
      let parsedJson: unknown;
      try {
        parsedJson = JSON.parse(json);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: `not JSON (${(error as Error).message})` });
        return z.NEVER;
      }
      const parsed = z.record(z.string(), value).safeParse(parsedJson);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        ctx.addIssue({ code: "custom", message: `${issue?.path.join(".")}: ${issue?.message}` });
        return z.NEVER;
      }
      return { ...defaults, ...parsed.data };
    });
}

/** API_RATE_LIMITS as server/env.ts parses it: JSON per plan, merged over the defaults; unknown plans use `free`. */
export const planLimitsVariable = perPlanVariable(planLimits, DEFAULT_PLAN_LIMITS);

// Live sessions (WebSockets) a workspace may hold open at once, by plan; REALTIME_SESSION_LIMITS
// (JSON, e.g. {"free":2,"pro":10}) is merged over these. Unknown plans use `free`.
export const DEFAULT_SESSION_LIMITS: Record<string, number> = { free: 2, pro: 10, enterprise: 100 };

/** REALTIME_SESSION_LIMITS as server/env.ts parses it: concurrent sessions per plan, merged over the defaults. */
export const sessionLimitsVariable = perPlanVariable(z.number().int().min(0).max(100_000), DEFAULT_SESSION_LIMITS);

/** The concurrent-session cap of a plan. */
export function sessionLimitOf(limits: Record<string, number>, plan: string): number {
  return limits[plan] ?? limits.free ?? DEFAULT_SESSION_LIMITS.free!;
}
