import { apiRoute, json } from "@/server/http/api-route";
import { revokeApiKey } from "@/server/services/api-keys";

export const dynamic = "force-dynamic";

// A test key cannot revoke a live key: that id answers 404, like another workspace's.
export const DELETE = apiRoute("revokeApiKey", async (_req, ctx) =>
  json(200, await revokeApiKey(ctx.db, ctx.tenant.id, ctx.params.keyId ?? "", { callerEnvironment: ctx.key.environment })),
);
