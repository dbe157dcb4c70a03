import "server-only";
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { tenants } from "../../db/schema";
import { createSession, createSessionInput, sessionSettings, toCreatedSession } from "../live-sessions";

/** What the browser needs to join: the socket URL and its single-use client secret (never a key). */
export type DashboardTalk = { session_id: string; url: string; client_secret: { value: string; expires_at: string }; threadId: string };

/**
 * The avatar page's Talk: a voice session on the workspace's sandbox (test) environment, created as a
 * customer's server creates one over REST (same caps, same validation), billed to sandbox credits.
 */
export async function startDashboardTalk(db: Db, tenantId: string, avatarId: string, baseUrl: string): Promise<DashboardTalk> {
  const [tenant] = await db.select({ plan: tenants.plan }).from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  const body = createSessionInput.parse({ outputModality: "audio", avatar_id: avatarId, input: "voice", max_seconds: 600, idle_timeout_s: 120, metadata: { source: "dashboard" } });
  const { row, secret } = await createSession(db, { tenantId, plan: tenant?.plan ?? "free", environment: "test", apiKeyId: null }, body, sessionSettings());
  const created = toCreatedSession(row, secret, baseUrl);
  return { session_id: created.session_id, url: created.url, client_secret: created.client_secret, threadId: created.threadId };
}
