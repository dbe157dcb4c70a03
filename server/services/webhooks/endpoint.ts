import "server-only";
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../db/client";
import { webhookEndpoints } from "../../db/schema";
import { AppError } from "../../errors";
import { parseRemoteUrl, SafeFetchError } from "../net/safe-fetch";

// A workspace's webhook receiver: its URL and the secret its deliveries are signed with. Setting a
// URL the first time issues a secret; rotating issues a new one at once (the old stops verifying).

export const setWebhookInput = z.object({ url: z.string().trim().min(1).max(2048), enabled: z.boolean().default(true) }).strict();
export type SetWebhookInput = z.input<typeof setWebhookInput>;

export type WebhookEndpointView = { url: string; enabled: boolean; secret: string; createdAt: string; updatedAt: string; secretRotatedAt: string };

type Row = typeof webhookEndpoints.$inferSelect;
const toView = (r: Row): WebhookEndpointView => ({
  url: r.url,
  enabled: r.enabled,
  secret: r.secret,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
  secretRotatedAt: r.secretRotatedAt.toISOString(),
});

/** A fresh signing secret: 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/** The workspace's endpoint row, if it set one. */
export async function webhookEndpointRow(db: Db, tenantId: string): Promise<Row | null> {
  const [row] = await db.select().from(webhookEndpoints).where(eq(webhookEndpoints.tenantId, tenantId)).limit(1);
  return row ?? null;
}

export async function getWebhookEndpoint(db: Db, tenantId: string): Promise<WebhookEndpointView | null> {
  const row = await webhookEndpointRow(db, tenantId);
  return row ? toView(row) : null;
}

/**
 * Sets the receiver URL (http or https, no credentials). Whether it resolves to a public address is
 * checked on every delivery, where it counts: DNS can change after it was saved.
 */
export async function setWebhookEndpoint(db: Db, tenantId: string, input: SetWebhookInput): Promise<WebhookEndpointView> {
  const { url, enabled } = setWebhookInput.parse(input);
  let parsed: URL;
  try {
    parsed = parseRemoteUrl(url);
  } catch (error) {
    const reason = error instanceof SafeFetchError ? error.message.replace(/^remoteUrl/, "url") : "url is not a valid absolute URL.";
    throw new AppError("invalid_input", reason, { field: "url", cause: error });
  }
  const [row] = await db
    .insert(webhookEndpoints)
    .values({ tenantId, url: parsed.toString(), enabled, secret: newWebhookSecret() })
    .onConflictDoUpdate({ target: webhookEndpoints.tenantId, set: { url: parsed.toString(), enabled, updatedAt: sql`now()` } })
    .returning();
  return toView(row!);
}

/** Issues a new signing secret; deliveries from now on are signed with it. */
export async function rotateWebhookSecret(db: Db, tenantId: string): Promise<WebhookEndpointView> {
  const [row] = await db
    .update(webhookEndpoints)
    .set({ secret: newWebhookSecret(), secretRotatedAt: sql`now()`, updatedAt: sql`now()` })
    .where(eq(webhookEndpoints.tenantId, tenantId))
    .returning();
  if (!row) throw new AppError("not_found", "This workspace has no webhook URL yet; set one first.");
  return toView(row);
}

/** Removes the receiver: no new deliveries are made (pending ones fail at their next attempt). */
export async function deleteWebhookEndpoint(db: Db, tenantId: string): Promise<void> {
  await db.delete(webhookEndpoints).where(eq(webhookEndpoints.tenantId, tenantId));
}
