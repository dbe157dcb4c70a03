import { apiRoute, json } from "@/server/http/api-route";
import { revokeApiKey } from "@/server/services/api-keys";
import { otherMethods } from "@/server/http/unrouted";

export const dynamic = "force-dynamic";

// A test key cannot revoke a live key: that id answers 404, like another workspace's.
export const DELETE = apiRoute("revokeApiKey", async (_req, ctx) =>
  json(200, await revokeApiKey(ctx.db, ctx.tenant.id, ctx.params.keyId ?? "", { callerEnvironment: ctx.key.environment })),
);

// The contract's JSON 405 for every other method.
export const { GET, HEAD, POST, PUT, PATCH } = otherMethods("/api/v1/api-keys/{keyId}");
