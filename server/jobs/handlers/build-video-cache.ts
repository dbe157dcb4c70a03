import "server-only";
import { buildCache, markCacheFailed } from "@/server/services/video-avatars/caches";
import type { JobHandler } from "../worker";

/** Renders a planned video cache's loop (idempotent: a ready cache is left as it is). */
export const buildVideoCacheJob: JobHandler<"build-video-cache"> = {
  async run(db, { tenantId, cacheId }) {
    const cache = await buildCache(db, tenantId, cacheId);
    return { outcome: cache.status, loopAssetId: cache.loopAssetId };
  },
  failed: (db, { tenantId, cacheId }, reason) => markCacheFailed(db, tenantId, cacheId, `loop render failed: ${reason}`),
};
