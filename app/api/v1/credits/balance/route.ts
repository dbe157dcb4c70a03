import { apiRoute, json } from "@/server/http/api-route";
import { getCreditBalance } from "@/server/services/credits/wallets";

export const dynamic = "force-dynamic";

// The wallet of the calling key's environment: test keys see the sandbox wallet.
export const GET = apiRoute("getCreditBalance", async (_req, ctx) => json(200, await getCreditBalance(ctx.db, ctx.tenant.id, ctx.key.environment)));
