import "server-only";
import pino from "pino";

// The logger's error serializer. A failed query carries customer data in several places: drizzle's
// DrizzleQueryError puts the parameters in its message, stack and `params`; pg and PGlite errors quote row
// values in `detail` ("Key (email)=(…) already exists"), `where` (the JSON context) and, for data
// exceptions, the message itself (`invalid input syntax for type integer: "…"`). Each is dropped or
// blanked here, once, for every `err` any module logs. The SQL text (placeholders only) and the
// SQLSTATE code stay, which is what the one debugging the failure needs.

const VALUE_FIELDS = new Set(["params", "parameters", "values", "detail", "where", "internalQuery", "queryOptions"]);
const DRIZZLE_PARAMS = /\nparams: [\s\S]*$/;
const QUOTED = /"(?:[^"\\]|\\.)*"/g;

type DbFields = { code: string; severity?: string; table?: string; column?: string; constraint?: string; routine?: string };

function isDbError(e: object): e is DbFields {
  const { code, severity } = e as { code?: unknown; severity?: unknown };
  return typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && typeof severity === "string";
}

function cleanMessage(e: Error): string {
  let message = e.message.replace(DRIZZLE_PARAMS, "");
  // SQLSTATE class 22, data exceptions, quote the offending value in the message.
  if (isDbError(e) && e.code.startsWith("22")) message = message.replace(QUOTED, '"[redacted]"');
  return message;
}

/** A copy of an error (and its causes) without the values a failed query carried. */
function withoutValues(e: unknown, depth = 0): unknown {
  if (!(e instanceof Error) || depth > 8) return e;
  const copy = Object.create(Object.getPrototypeOf(e) as object) as Error & Record<string, unknown>;
  for (const [key, value] of Object.entries(e)) if (!VALUE_FIELDS.has(key)) copy[key] = value;
  const message = cleanMessage(e);
  copy.message = message;
  copy.stack = e.stack?.replace(e.message, message);
  if (e.cause !== undefined) copy.cause = withoutValues(e.cause, depth + 1);
  if (Array.isArray((e as { errors?: unknown }).errors)) copy.errors = (e as unknown as { errors: unknown[] }).errors.map((x) => withoutValues(x, depth + 1));
  return copy;
}

// pino's serializer flattens causes into message and stack; their SQLSTATE and table would be lost.
function databaseFields(e: unknown): DbFields | undefined {
  for (let x: unknown = e, depth = 0; x && typeof x === "object" && depth < 8; x = (x as { cause?: unknown }).cause, depth++) {
    if (isDbError(x)) return { code: x.code, severity: x.severity, table: x.table, column: x.column, constraint: x.constraint, routine: x.routine };
  }
  return undefined;
}

/** pino `err` serializer: the standard one, applied to a copy without query parameters and row values. */
export function serializeError(e: unknown): unknown {
  const serialized = pino.stdSerializers.err(withoutValues(e) as Error) as unknown as Record<string, unknown>;
  const db = databaseFields(e);
  return db && typeof serialized === "object" ? { ...serialized, db } : serialized;
}
