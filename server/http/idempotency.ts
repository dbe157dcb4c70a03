import "server-only";
import { and, eq, lt, or } from "drizzle-orm";
import type { Db } from "../db/client";
import { idempotencyKeys } from "../db/schema";
import { AppError } from "../errors";

// Idempotency-Key handling for mutating requests (POST, PATCH, DELETE).
//  - First use: the row is inserted `in_flight`, the handler runs, its answer is stored (`done`).
//  - Same key + same request: the stored answer is replayed (Idempotent-Replayed: true).
//  - Same key + different request: 422. Same key while the first is running: 409 (retryable).
//  - Routes with `idempotencyReuseConflicts` (realtime turns): any reuse is 409 — a turn streams
//    and bills, so it is never replayed.
//  - Routes with `secretField` (key creation): the success answer is stored without the secret and a
//    reuse is 409 naming what was created — a secret is shown once and never replayed.
// A key value belongs to the API key that sent it: other keys of the workspace (either environment)
// sending the same value start their own record and never see this one.
// 5xx and 429 answers are not stored (the row is dropped) so the client's retry runs again.
// Keys live 24 h; an `in_flight` row older than STALE_MS belongs to a crashed request and is taken over.

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const STALE_MS = 10 * 60 * 1000;
const KEY_PATTERN = /^[\x21-\x7e]{1,180}$/;

/** Validates the header value (≤180 visible ASCII chars); 422 naming the header otherwise. */
export function checkIdempotencyKey(value: string): string {
  if (!KEY_PATTERN.test(value)) {
    throw new AppError("invalid_input", "Idempotency-Key: must be 1–180 visible ASCII characters (a UUID is a good choice).");
  }
  return value;
}

export type IdempotencyStart = { kind: "proceed" } | { kind: "replay"; response: Response };

type Scope = {
  tenantId: string;
  apiKeyId: string;
  key: string;
  method: string;
  path: string;
  requestHash: string;
  reuseConflicts: boolean;
  secretField?: string;
};

function recordOf(s: Scope) {
  return and(eq(idempotencyKeys.tenantId, s.tenantId), eq(idempotencyKeys.apiKeyId, s.apiKeyId), eq(idempotencyKeys.key, s.key));
}

const isSuccess = (status: number) => status >= 200 && status < 300;

// The stored answer with the secret field removed; null when it is not a JSON object (nothing is kept then).
function withoutSecret(body: string, field: string): string | null {
  try {
    const value: unknown = JSON.parse(body);
    if (!value || typeof value !== "object" || Array.isArray(value)) return null;
    const { [field]: _secret, ...rest } = value as Record<string, unknown>;
    return JSON.stringify(rest);
  } catch {
    return null;
  }
}

function createdId(storedBody: string | null): string | null {
  try {
    const id: unknown = storedBody ? (JSON.parse(storedBody) as { id?: unknown }).id : null;
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}

function secretNotReplayed(storedBody: string | null): AppError {
  const id = createdId(storedBody);
  return new AppError(
    "idempotency_key_reused",
    `Idempotency-Key was already used: that request created ${id ? `"${id}"` : "a resource"}. Its answer held a secret that is shown only once and is never replayed; if you did not store it, discard ${id ? `"${id}"` : "it"} (revoke the key, end the session) and repeat the request with a new Idempotency-Key.`,
    { kind: "conflict" },
  );
}

/** Claims the key for this request, or answers from the stored state (replay / 409 / 422). */
export async function beginIdempotent(db: Db, s: Scope, now = new Date()): Promise<IdempotencyStart> {
  const expiresAt = new Date(now.getTime() + IDEMPOTENCY_TTL_MS);
  const fresh = { tenantId: s.tenantId, apiKeyId: s.apiKeyId, key: s.key, method: s.method, path: s.path, requestHash: s.requestHash, state: "in_flight" as const, expiresAt };
  const inserted = await db.insert(idempotencyKeys).values(fresh).onConflictDoNothing().returning({ key: idempotencyKeys.key });
  if (inserted.length) return { kind: "proceed" };

  // Expired keys and abandoned in-flight rows are taken over by exactly one claimant (conditional UPDATE).
  const takenOver = await db
    .update(idempotencyKeys)
    .set({ ...fresh, createdAt: now, responseStatus: null, responseBody: null, responseContentType: null })
    .where(
      and(
        recordOf(s),
        or(
          lt(idempotencyKeys.expiresAt, now),
          and(eq(idempotencyKeys.state, "in_flight"), lt(idempotencyKeys.createdAt, new Date(now.getTime() - STALE_MS))),
        ),
      ),
    )
    .returning({ key: idempotencyKeys.key });
  if (takenOver.length) return { kind: "proceed" };

  const [row] = await db.select().from(idempotencyKeys).where(recordOf(s)).limit(1);
  // Deleted between our insert and select (its first request failed retryably): run this one.
  if (!row) return beginIdempotent(db, s, now);
  if (s.reuseConflicts) {
    throw new AppError("idempotency_key_reused", "Idempotency-Key was already used for a realtime turn; send a new key for every turn attempt.", { kind: "conflict" });
  }
  if (row.requestHash !== s.requestHash) {
    throw new AppError("idempotency_key_mismatch", "Idempotency-Key: this key was used with a different request (method, path or body). Use a new key for a new request.", { kind: "invalid_input" });
  }
  if (row.state === "in_flight") {
    throw new AppError("idempotency_in_flight", "A request with this Idempotency-Key is still being processed; retry after it completes.", { kind: "conflict", retryable: true });
  }
  const status = row.responseStatus ?? 200;
  if (row.responseContentType && !row.responseContentType.includes("json")) {
    throw new AppError(
      "idempotency_key_reused",
      `Idempotency-Key was already used for a streamed answer, which is not replayed${row.responseBody ? `; what it made is at ${row.responseBody}` : ""}. Send a new key for a new request.`,
      { kind: "conflict" },
    );
  }
  if (s.secretField && isSuccess(status)) throw secretNotReplayed(row.responseBody);
  const headers: Record<string, string> = { "Idempotent-Replayed": "true" };
  if (row.responseContentType) headers["Content-Type"] = row.responseContentType;
  return { kind: "replay", response: new Response(status === 204 ? null : (row.responseBody ?? ""), { status, headers }) };
}

/** Stores the handler's answer for replay (or drops the claim when the answer is retryable); returns the answer to send. */
export async function finishIdempotent(db: Db, s: Scope, response: Response): Promise<Response> {
  const where = recordOf(s);
  if (response.status >= 500 || response.status === 429) {
    await db.delete(idempotencyKeys).where(where);
    return response;
  }
  const streamed = !isJsonAnswer(response);
  if (s.reuseConflicts || streamed) {
    // Streams are not buffered: the row only records that the key was spent (and, for a streamed
    // resource such as a video, where it lives, so a reuse can point there).
    await db
      .update(idempotencyKeys)
      .set({ state: "done", responseStatus: response.status, ...(streamed ? { responseContentType: response.headers.get("content-type"), responseBody: response.headers.get("content-location") } : {}) })
      .where(where);
    return response;
  }
  const body = response.status === 204 ? "" : await response.text();
  const stored = s.secretField && isSuccess(response.status) ? withoutSecret(body, s.secretField) : body;
  await db
    .update(idempotencyKeys)
    .set({ state: "done", responseStatus: response.status, responseBody: stored, responseContentType: response.headers.get("content-type") })
    .where(where);
  return new Response(response.status === 204 ? null : body, { status: response.status, headers: response.headers });
}

/** JSON (or an empty answer) is stored for replay; anything else is a stream. */
function isJsonAnswer(response: Response): boolean {
  const type = response.headers.get("content-type");
  return response.status === 204 || !type || type.includes("json");
}

/** Drops the claim after an unexpected failure so the client's retry can run. */
export async function abandonIdempotent(db: Db, s: Scope): Promise<void> {
  await db.delete(idempotencyKeys).where(and(recordOf(s), eq(idempotencyKeys.state, "in_flight")));
}

/** Deletes keys past their 24 h retention (run by the background sweeper). */
export async function purgeExpiredIdempotencyKeys(db: Db, now = new Date()): Promise<number> {
  const gone = await db.delete(idempotencyKeys).where(lt(idempotencyKeys.expiresAt, now)).returning({ key: idempotencyKeys.key });
  return gone.length;
}

