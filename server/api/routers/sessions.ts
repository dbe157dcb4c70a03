import "server-only";
import { z } from "zod";
import { publicBaseUrlFromHeaders } from "../../services/assets";
import { listWorkspaceSessions, workspaceSession } from "../../services/session-history/history";
import { startDashboardTalk } from "../../services/session-history/talk";
import { createTRPCRouter, tenantProcedure } from "../trpc";

const sessionId = z.string().regex(/^ses_[0-9a-z]{1,64}$/, "not a session id");

export const sessionsRouter = createTRPCRouter({
  list: tenantProcedure
    .input(z.object({ limit: z.number().int().min(1).max(100).default(50), before: sessionId.optional(), avatarId: z.string().max(64).optional() }).default({ limit: 50 }))
    .query(({ ctx, input }) => listWorkspaceSessions(ctx.db, ctx.tenant.id, input)),
  get: tenantProcedure.input(z.object({ id: sessionId })).query(({ ctx, input }) => workspaceSession(ctx.db, ctx.tenant.id, input.id)),
  /** The avatar page's Talk: a sandbox voice session the browser joins with its client secret. */
  talk: tenantProcedure
    .input(z.object({ avatarId: z.string().min(1).max(64) }))
    .mutation(({ ctx, input }) => startDashboardTalk(ctx.db, ctx.tenant.id, input.avatarId, publicBaseUrlFromHeaders(ctx.headers))),
});
