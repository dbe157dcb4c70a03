import { apiRoute, json, parseJson } from "@/server/http/api-route";
import { createApiKey, createApiKeyInput, listApiKeys } from "@/server/services/api-keys";
import { otherMethods } from "@/server/http/unrouted";

export const dynamic = "force-dynamic";

export const POST = apiRoute("createApiKey", async (req, ctx) => {
  const input = await parseJson(req, createApiKeyInput);
  return json(201, await createApiKey(ctx.db, ctx.tenant.id, input, { minterScopes: ctx.key.scopes, minterEnvironment: ctx.key.environment }));
});

// A test key lists only sandbox keys; a live key every key of the workspace.
export const GET = apiRoute("listApiKeys", async (_req, ctx) => json(200, { data: await listApiKeys(ctx.db, ctx.tenant.id, { callerEnvironment: ctx.key.environment }) }));

// The contract's JSON 405 for every other method.
export const { PUT, PATCH, DELETE } = otherMethods("/api/v1/api-keys");
