import "server-only";
import { and, eq, lt, or } from "drizzle-orm";
import type { Db } from "../db/client";
import { idempotencyKeys } from "../db/schema";
import { ApiError } from "./api-error";

// Idempotency-Key handling for mutating requests (POST, PATCH, DELETE).
//  - First use: the row is inserted `in_flight`, the handler runs, its answer is stored (`done`).
//  - Same key + same request: the stored answer is replayed (Idempotent-Replayed: true).
//  - Same key + different request: 422. Same key while the first is running: 409 (retryable).
//  - Routes with `idempotencyReuseConflicts` (realtime turns): any reuse is 409 — a turn streams
//    and bills, so it is never replayed.
// 5xx and 429 answers are not stored (the row is dropped) so the client's retry runs again.
// Keys live 24 h; an `in_flight` row older than STALE_MS belongs to a crashed request and is taken over.

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const STALE_MS = 10 * 60 * 1000;
const KEY_PATTERN = /^[\x21-\x7e]{1,180}$/;

/** Validates the header value (≤180 visible ASCII chars); 422 naming the header otherwise. */
export function checkIdempotencyKey(value: string): string {
  if (!KEY_PATTERN.test(value)) {
    throw new ApiError(422, "invalid_input", "Idempotency-Key: must be 1–180 visible ASCII characters (a UUID is a good choice).");
  }
  return value;
}

export type IdempotencyStart = { kind: "proceed" } | { kind: "replay"; response: Response };

type Scope = { tenantId: string; key: string; method: string; path: string; requestHash: string; reuseConflicts: boolean };

/** Claims the key for this request, or answers from the stored state (replay / 409 / 422). */
export async function beginIdempotent(db: Db, s: Scope, now = new Date()): Promise<IdempotencyStart> {
  const expiresAt = new Date(now.getTime() + IDEMPOTENCY_TTL_MS);
  const fresh = { tenantId: s.tenantId, key: s.key, method: s.method, path: s.path, requestHash: s.requestHash, state: "in_flight" as const, expiresAt };
  const inserted = await db.insert(idempotencyKeys).values(fresh).onConflictDoNothing().returning({ key: idempotencyKeys.key });
  if (inserted.length) return { kind: "proceed" };

  // Expired keys and abandoned in-flight rows are taken over by exactly one claimant (conditional UPDATE).
  const takenOver = await db
    .update(idempotencyKeys)
    .set({ ...fresh, createdAt: now, responseStatus: null, responseBody: null, responseContentType: null })
    .where(
      and(
        eq(idempotencyKeys.tenantId, s.tenantId),
        eq(idempotencyKeys.key, s.key),
        or(
          lt(idempotencyKeys.expiresAt, now),
          and(eq(idempotencyKeys.state, "in_flight"), lt(idempotencyKeys.createdAt, new Date(now.getTime() - STALE_MS))),
        ),
      ),
    )
    .returning({ key: idempotencyKeys.key });
  if (takenOver.length) return { kind: "proceed" };

  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.tenantId, s.tenantId), eq(idempotencyKeys.key, s.key)))
    .limit(1);
  // Deleted between our insert and select (its first request failed retryably): run this one.
  if (!row) return beginIdempotent(db, s, now);
  if (s.reuseConflicts) {
    throw new ApiError(409, "idempotency_key_reused", "Idempotency-Key was already used for a realtime turn; send a new key for every turn attempt.");
  }
  if (row.requestHash !== s.requestHash) {
    throw new ApiError(422, "idempotency_key_mismatch", "Idempotency-Key: this key was used with a different request (method, path or body). Use a new key for a new request.");
  }
  if (row.state === "in_flight") {
    throw new ApiError(409, "idempotency_in_flight", "A request with this Idempotency-Key is still being processed; retry after it completes.", true);
  }
  const headers: Record<string, string> = { "Idempotent-Replayed": "true" };
  if (row.responseContentType) headers["Content-Type"] = row.responseContentType;
  const status = row.responseStatus ?? 200;
  return { kind: "replay", response: new Response(status === 204 ? null : (row.responseBody ?? ""), { status, headers }) };
}

/** Stores the handler's answer for replay (or drops the claim when the answer is retryable); returns the answer to send. */
export async function finishIdempotent(db: Db, s: Scope, response: Response): Promise<Response> {
  const where = and(eq(idempotencyKeys.tenantId, s.tenantId), eq(idempotencyKeys.key, s.key));
  if (response.status >= 500 || response.status === 429) {
    await db.delete(idempotencyKeys).where(where);
    return response;
  }
  if (s.reuseConflicts) {
    // Streams are not buffered: the row only records that the key was spent.
    await db.update(idempotencyKeys).set({ state: "done", responseStatus: response.status }).where(where);
    return response;
  }
  const body = response.status === 204 ? "" : await response.text();
  await db
    .update(idempotencyKeys)
    .set({ state: "done", responseStatus: response.status, responseBody: body, responseContentType: response.headers.get("content-type") })
    .where(where);
  return new Response(response.status === 204 ? null : body, { status: response.status, headers: response.headers });
}

/** Drops the claim after an unexpected failure so the client's retry can run. */
export async function abandonIdempotent(db: Db, s: Scope): Promise<void> {
  await db.delete(idempotencyKeys).where(and(eq(idempotencyKeys.tenantId, s.tenantId), eq(idempotencyKeys.key, s.key), eq(idempotencyKeys.state, "in_flight")));
}

/** Deletes keys past their 24 h retention (run by the background sweeper). */
export async function purgeExpiredIdempotencyKeys(db: Db, now = new Date()): Promise<number> {
  const gone = await db.delete(idempotencyKeys).where(lt(idempotencyKeys.expiresAt, now)).returning({ key: idempotencyKeys.key });
  return gone.length;
}

