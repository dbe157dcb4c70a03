import "server-only";
import { and, eq, lt, or, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { AppError } from "@/server/errors";

// The cursor of every newest-first list (sessions, videos): the last row's creation time and id,
// opaque to clients (base64url JSON), so a page continues exactly after it even when times tie.

type Cursor = { t: string; id: string };

/** The `next_cursor` that continues after `row`. */
export function encodeListCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify({ t: row.createdAt.toISOString(), id: row.id } satisfies Cursor)).toString("base64url");
}

/** The rows after a cursor (created earlier, or at the same time with a smaller id); 422 for a cursor we did not issue. */
export function afterListCursor(cursor: string | undefined, createdAt: PgColumn, id: PgColumn): SQL | undefined {
  if (!cursor) return undefined;
  const after = decode(cursor);
  const t = new Date(after.t);
  return or(lt(createdAt, t), and(eq(createdAt, t), lt(id, after.id)));
}

function decode(cursor: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Cursor;
    if (typeof value.t === "string" && typeof value.id === "string" && !Number.isNaN(Date.parse(value.t))) return value;
  } catch {
    // answered below
  }
  throw new AppError("invalid_input", "cursor: not a cursor this API returned; pass next_cursor from the previous page unchanged.", { field: "cursor" });
}
