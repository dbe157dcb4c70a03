import "server-only";
import { and, eq, inArray, isNull } from "drizzle-orm";
import { z } from "zod";
import { parseAllowedOrigin } from "@/core/api-keys/origins";
import { storableText } from "@/core/text/storable";
import type { Db } from "../db/client";
import { avatars } from "../db/schema";
import { AppError } from "../errors";
import { storeNewKey, type ApiKeyView } from "./api-keys";
import { createSessionInput, type CreateSessionInput } from "./live-sessions/schemas";

// Publishable keys (tic_pub_live_…, tic_pub_test_…): keys that may sit in a web page. One can do two
// things, create a live session (POST /api/v1/realtime/sessions) and read an avatar's render assets
// (GET /api/v1/avatars/{id}/render-assets, the widget's audio mode), for the avatars it names, from the
// origins it names (server/http/publishable-edge.ts checks `Origin` and charges the per-origin rate
// limit). They are api_keys rows of kind `publishable`, so hashing, the key cache, revocation on every
// instance, the spend limit and the session's api_key_id are the secret keys' own. They are made in the
// dashboard only; a key's origins and avatars do not change (revoke it and create another), so a
// cached lookup is never stale in what it allows.

const MAX_ORIGINS = 20;
const MAX_AVATARS = 50;

/** The longest session a page may start; a longer (or no) max_seconds is cut to it. */
export const PUBLISHABLE_MAX_SESSION_SECONDS = 900;
/** The longest idle timeout a page may ask for. */
export const PUBLISHABLE_MAX_IDLE_TIMEOUT_S = 120;

export const createPublishableKeyInput = z
  .object({
    name: storableText.trim().min(1).max(120),
    environment: z.enum(["live", "test"]).default("test"),
    avatarIds: z.array(z.string().min(1).max(64)).min(1, "name at least one avatar the key may start sessions for").max(MAX_AVATARS),
    allowedOrigins: z
      .array(z.string().max(300))
      .min(1, "name at least one origin, as in https://www.example.com")
      .max(MAX_ORIGINS)
      .transform((list, ctx) => {
        const out: string[] = [];
        for (const entry of list) {
          const parsed = parseAllowedOrigin(entry);
          if (parsed.ok) out.push(parsed.origin);
          else ctx.addIssue({ code: "custom", message: parsed.reason });
        }
        return [...new Set(out)];
      }),
    spendLimitCreditMicros: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable().optional(),
    expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .strict();
export type CreatePublishableKeyInput = z.input<typeof createPublishableKeyInput>;

/** Mints a publishable key of a tenant for avatars of that tenant (another's or a deleted one is not_found). */
export async function createPublishableKey(
  db: Db,
  tenantId: string,
  raw: CreatePublishableKeyInput,
  options: { createdByUserId?: string } = {},
): Promise<ApiKeyView & { apiKey: string }> {
  const input = createPublishableKeyInput.parse(raw);
  const avatarIds = [...new Set(input.avatarIds)];
  const found = await db
    .select({ id: avatars.id })
    .from(avatars)
    .where(and(eq(avatars.tenantId, tenantId), inArray(avatars.id, avatarIds), isNull(avatars.deletedAt)));
  const missing = avatarIds.filter((id) => !found.some((a) => a.id === id));
  if (missing.length) throw new AppError("not_found", `avatarIds: no avatar ${missing.join(", ")} in this workspace.`, { field: "avatarIds" });
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= Date.now()) throw new AppError("invalid_input", "expiresAt must be in the future.", { field: "expiresAt" });
  return storeNewKey(db, {
    tenantId,
    name: input.name,
    environment: input.environment,
    kind: "publishable",
    // What the edge would check if the kind did not already confine the key to one operation.
    scopes: ["realtime:write"],
    allowedOrigins: input.allowedOrigins,
    avatarIds,
    spendLimitCreditMicros: input.spendLimitCreditMicros ?? null,
    expiresAt,
    createdByUserId: options.createdByUserId ?? null,
  });
}

// What a page may choose: how the visitor talks and sees the avatar. What it says and knows (prompt,
// tools), which conversation it continues (threadId: another visitor's transcript), and what the
// customer's own systems read back (metadata, sessionId) are the customer's server's to decide, through
// the session-url path (the SDK's route adapters), never a page's.
const PAGE_FIELDS = ["outputModality", "avatar_id", "input", "language", "turn_detection", "render", "voice", "transport", "max_seconds", "idle_timeout_s"] as const;
const SERVER_FIELDS = ["prompt", "tools", "threadId", "metadata", "sessionId"] as const;

const pageSessionInput = createSessionInput.pick(Object.fromEntries(PAGE_FIELDS.map((f) => [f, true])) as { [K in (typeof PAGE_FIELDS)[number]]: true });

/** Refuses (403 avatar_not_allowed) an avatar a publishable key does not name; `field` is where the page named it. */
export function assertPublishableAvatar(key: { avatarIds: readonly string[] }, avatarId: string, field: string): void {
  if (key.avatarIds.includes(avatarId)) return;
  throw new AppError("avatar_not_allowed", `${field}: this publishable key may not be used for avatar ${avatarId}; add the avatar to the key at /platform/api-keys (create a new key naming it).`, {
    kind: "forbidden",
    field,
  });
}

/**
 * The session a publishable key's page asks for, within what the key allows: its avatars only
 * (403 avatar_not_allowed), the page's fields only (403 field_not_allowed), limits cut to the caps.
 */
export function publishableSessionInput(body: unknown, key: { avatarIds: readonly string[] }): CreateSessionInput {
  if (body && typeof body === "object" && !Array.isArray(body)) {
    const refused = SERVER_FIELDS.find((f) => f in body);
    if (refused) {
      throw new AppError("field_not_allowed", `${refused}: a publishable key cannot set ${refused}; create the session from your server with a secret key (the SDK's createSessionRoute) to choose it.`, {
        kind: "forbidden",
        field: refused,
      });
    }
  }
  const page = pageSessionInput.parse(body);
  assertPublishableAvatar(key, page.avatar_id, "avatar_id");
  return {
    ...createSessionInput.parse({ outputModality: page.outputModality, avatar_id: page.avatar_id }),
    ...page,
    max_seconds: Math.min(page.max_seconds, PUBLISHABLE_MAX_SESSION_SECONDS),
    idle_timeout_s: Math.min(page.idle_timeout_s, PUBLISHABLE_MAX_IDLE_TIMEOUT_S),
  };
}
