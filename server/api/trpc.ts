import "server-only";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import { getSessionUser, type SessionUser } from "../auth/session";
import { getDb, type Db } from "../db/client";
import { AppError, type ErrorKind } from "../errors";
import { logger } from "../logger";
import { assertTenantActive } from "../services/tenants";
import { resolveActiveTenant } from "./active-tenant";

export type TrpcContext = {
  db: Db;
  user: SessionUser | null;
  headers: Headers;
  /** Response headers the fetch adapter sends (cookies set by procedures). */
  resHeaders: Headers;
};

/** Context of one tRPC call: the database and the signed-in user, if any. */
export async function createTrpcContext(opts: { headers: Headers; resHeaders: Headers; user?: SessionUser | null }): Promise<TrpcContext> {
  return {
    db: await getDb(),
    user: opts.user !== undefined ? opts.user : await getSessionUser(),
    headers: opts.headers,
    resHeaders: opts.resHeaders,
  };
}

// The one mapping of the service error to tRPC: its kind picks the tRPC code; its public code rides
// along as `appCode` (the same code the REST API answers).
const TRPC_CODE: Record<ErrorKind, TRPCError["code"]> = {
  invalid_input: "BAD_REQUEST",
  unauthorized: "UNAUTHORIZED",
  payment_required: "PAYMENT_REQUIRED",
  forbidden: "FORBIDDEN",
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  too_large: "PAYLOAD_TOO_LARGE",
  unsupported_media_type: "UNSUPPORTED_MEDIA_TYPE",
  rate_limited: "TOO_MANY_REQUESTS",
  upstream_failed: "BAD_GATEWAY",
  unavailable: "SERVICE_UNAVAILABLE",
};

const INTERNAL_MESSAGE = "Something went wrong on our side; it has been logged. Try again in a moment.";

const t = initTRPC.context<TrpcContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const fieldErrors =
      cause instanceof ZodError
        ? Object.fromEntries(cause.issues.map((i) => [i.path.join(".") || "input", i.message]))
        : cause instanceof AppError && cause.details.field
          ? { [cause.details.field]: cause.message }
          : undefined;
    return {
      ...shape,
      // An unexpected error's message is internal (a failed query quotes its SQL and parameters): the
      // browser gets a generic one; the log has the rest.
      message: error.code === "INTERNAL_SERVER_ERROR" ? INTERNAL_MESSAGE : shape.message,
      data: { ...shape.data, appCode: cause instanceof AppError ? cause.code : undefined, fieldErrors, stack: undefined },
    };
  },
});

// Service errors carry stable codes; translate them once here so routers stay thin.
const errorMapping = t.middleware(async ({ next, path }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof AppError) {
      result.error = new TRPCError({ code: TRPC_CODE[cause.kind], message: cause.message, cause });
    } else if (cause instanceof ZodError) {
      const first = cause.issues[0];
      result.error = new TRPCError({ code: "BAD_REQUEST", message: first?.message ?? "Invalid input.", cause });
    } else if (result.error.code === "INTERNAL_SERVER_ERROR") {
      logger.error({ err: result.error.cause ?? result.error, path }, "trpc procedure failed");
    }
  }
  return result;
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Anyone, signed in or not. */
export const publicProcedure = t.procedure.use(errorMapping);

/** Signed-in users only. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/**
 * Signed-in users acting in their active tenant; every tenant-owned query must use ctx.tenant.id.
 * A suspended tenant can still be read, but every mutation is refused (as the REST edge refuses it),
 * before its input is parsed.
 */
export const tenantProcedure = protectedProcedure.use(async ({ ctx, type, next }) => {
  const tenant = await resolveActiveTenant(ctx.db, ctx.user.id, ctx.headers.get("cookie"));
  if (type === "mutation") assertTenantActive(tenant);
  return next({ ctx: { ...ctx, tenant } });
});
