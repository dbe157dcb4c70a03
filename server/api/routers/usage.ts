import "server-only";
import { z } from "zod";
import { listJobs } from "../../jobs/admin";
import { usageByDay } from "../../services/credits/reports";
import { createTRPCRouter, tenantProcedure } from "../trpc";

export const usageRouter = createTRPCRouter({
  byDay: tenantProcedure
    .input(z.object({ environment: z.enum(["test", "live"]).default("live"), days: z.number().int().min(1).max(90).default(30) }))
    .query(({ ctx, input }) => usageByDay(ctx.db, ctx.tenant.id, input.environment, input.days)),
  /** The workspace's background jobs (preparations, lipsync renders) that failed for good, newest first, with their error. */
  failedJobs: tenantProcedure.query(({ ctx }) => listJobs(ctx.db, { state: "failed", tenantId: ctx.tenant.id, limit: 20 })),
});
