import "server-only";
import { z } from "zod";
import { listWorkspaceSessions, workspaceSession } from "../../services/session-history/history";
import { createTRPCRouter, tenantProcedure } from "../trpc";

const sessionId = z.string().regex(/^ses_[0-9a-z]{1,64}$/, "not a session id");

export const sessionsRouter = createTRPCRouter({
  list: tenantProcedure
    .input(z.object({ limit: z.number().int().min(1).max(100).default(50), before: sessionId.optional(), avatarId: z.string().max(64).optional() }).default({ limit: 50 }))
    .query(({ ctx, input }) => listWorkspaceSessions(ctx.db, ctx.tenant.id, input)),
  get: tenantProcedure.input(z.object({ id: sessionId })).query(({ ctx, input }) => workspaceSession(ctx.db, ctx.tenant.id, input.id)),
});
