import "server-only";
import { accountRouter } from "./routers/account";
import { assetsRouter } from "./routers/assets";
import { avatarsRouter } from "./routers/avatars";
import { tenantsRouter } from "./routers/tenants";
import { createCallerFactory, createTRPCRouter } from "./trpc";

/** The dashboard's API: one router per domain. */
export const appRouter = createTRPCRouter({
  account: accountRouter,
  assets: assetsRouter,
  avatars: avatarsRouter,
  tenants: tenantsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
