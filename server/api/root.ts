import "server-only";
import { accountRouter } from "./routers/account";
import { tenantsRouter } from "./routers/tenants";
import { createCallerFactory, createTRPCRouter } from "./trpc";

/** The dashboard's API: one router per domain. */
export const appRouter = createTRPCRouter({
  account: accountRouter,
  tenants: tenantsRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
