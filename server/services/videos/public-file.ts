import "server-only";
import type { Db } from "@/server/db/client";
import { logger } from "@/server/logger";
import type { RemoteDeps } from "../assets/remote";
import { notFoundAnswer, serveStoredFile } from "../assets/serve-file";
import { getStorage } from "../storage";
import { ensureRendered, findVideoById, type VideoOwner, type VideoRow } from "./videos";

/** Who a delayed video's render is billed to: the workspace and key that created it. */
export const ownerOfRow = (row: VideoRow): VideoOwner => ({ tenantId: row.tenantId, environment: row.environment, apiKeyId: row.apiKeyId, log: logger.child({ videoId: row.id }) });

/** The video's row, rendered first when it was delayed (the viewer page and the MP4 URL both trigger it); undefined when there is none. */
export async function publicVideo(db: Db, id: string, deps: RemoteDeps, signal?: AbortSignal): Promise<VideoRow | undefined> {
  const row = await findVideoById(db, id);
  if (!row) return undefined;
  return row.status === "ready" ? row : ensureRendered(db, id, deps, ownerOfRow, signal);
}

/** GET/HEAD /v/{id}/video.mp4: the stored MP4 (ranges supported), rendered on the first request of a delayed video. */
export async function serveVideoFile(db: Db, id: string, req: Request, deps: RemoteDeps): Promise<Response> {
  const row = await publicVideo(db, id, deps, req.signal);
  if (!row?.storageKey || row.fileSizeBytes === null) return notFoundAnswer();
  return serveStoredFile(getStorage(), { storageKey: row.storageKey, sizeBytes: row.fileSizeBytes, contentType: "video/mp4", etag: `"${row.id}"`, disposition: `inline; filename="${row.id}.mp4"` }, req);
}
