import { z } from "zod";
import { apiRoute, json, parseQuery } from "@/server/http/api-route";
import { usageByDay } from "@/server/services/credits/reports";
import { otherMethods } from "@/server/http/unrouted";

export const dynamic = "force-dynamic";

const query = z.object({ days: z.coerce.number().int().min(1).max(90).default(30) }).strict();

// Usage of the calling key's environment, per UTC day.
export const GET = apiRoute("listUsage", async (req, ctx) => {
  const { days } = parseQuery(req, query);
  return json(200, { environment: ctx.key.environment, data: await usageByDay(ctx.db, ctx.tenant.id, ctx.key.environment, days) });
});

// The contract's JSON 405 for every other method.
export const { POST, PUT, PATCH, DELETE } = otherMethods("/api/v1/usage");
