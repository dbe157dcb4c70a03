import { apiRoute, json } from "@/server/http/api-route";
import { getCreditBalance } from "@/server/services/credits/wallets";
import { otherMethods } from "@/server/http/unrouted";

export const dynamic = "force-dynamic";

// The wallet of the calling key's environment: test keys see the sandbox wallet.
export const GET = apiRoute("getCreditBalance", async (_req, ctx) => json(200, await getCreditBalance(ctx.db, ctx.tenant.id, ctx.key.environment)));

// The contract's JSON 405 for every other method.
export const { POST, PUT, PATCH, DELETE } = otherMethods("/api/v1/credits/balance");
