import "server-only";
import { accountRouter } from "./routers/account";
import { apiKeysRouter } from "./routers/api-keys";
import { billingRouter } from "./routers/billing";
import { usageRouter } from "./routers/usage";
import { assetsRouter } from "./routers/assets";
import { avatarsRouter } from "./routers/avatars";
import { sessionsRouter } from "./routers/sessions";
import { tenantsRouter } from "./routers/tenants";
import { webhooksRouter } from "./routers/webhooks";
import { createCallerFactory, createTRPCRouter } from "./trpc";

/** The dashboard's API: one router per domain. */
export const appRouter = createTRPCRouter({
  account: accountRouter,
  assets: assetsRouter,
  avatars: avatarsRouter,
  tenants: tenantsRouter,
  apiKeys: apiKeysRouter,
  billing: billingRouter,
  usage: usageRouter,
  sessions: sessionsRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
