import "server-only";
import { z } from "zod";
import { storableText } from "@/core/text/storable";
import { assetDepsFromEnv, ingestRemote, listAssets, publicBaseUrlFromHeaders, toAssetDto } from "../../services/assets";
import { createTRPCRouter, tenantProcedure } from "../trpc";

const kind = z.enum(["image", "video", "audio"]);

// Uploads themselves go to /api/platform/assets (multipart with progress); tRPC lists and imports by URL.
export const assetsRouter = createTRPCRouter({
  list: tenantProcedure.input(z.object({ kind: kind.optional() }).optional()).query(async ({ ctx, input }) => {
    const base = publicBaseUrlFromHeaders(ctx.headers);
    return (await listAssets(ctx.db, ctx.tenant.id, { kind: input?.kind })).map((row) => toAssetDto(row, base));
  }),
  importRemote: tenantProcedure
    .input(z.object({ kind, remoteUrl: storableText.min(1).max(2048) }))
    .mutation(async ({ ctx, input }) => toAssetDto(await ingestRemote(ctx.db, ctx.tenant.id, input, assetDepsFromEnv()), publicBaseUrlFromHeaders(ctx.headers))),
});
