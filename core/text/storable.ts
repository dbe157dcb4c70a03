import { z } from "zod";

// Text the database can store as sent. PostgreSQL's text and jsonb cannot hold U+0000 (the query fails),
// and an unpaired UTF-16 surrogate has no UTF-8 form (jsonb refuses its escape; text silently turns it
// into U+FFFD). Refusing both at the edge makes what used to be a database 500 a 422 naming the field.
// Shared by the forms and the server, so both say the same thing.

export const UNSTORABLE_TEXT = "must not contain NUL (U+0000) characters or unpaired UTF-16 surrogates";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `s` can be stored unchanged: no NUL and well-formed UTF-16. */
export function isStorableText(s: string): boolean {
  return !s.includes("\u0000") && !LONE_SURROGATE.test(s);
}

/** A string schema that refuses text the database cannot store; chain trim/min/max on it as on z.string(). */
export const storableText = z.string().refine(isStorableText, UNSTORABLE_TEXT);

/** Default bounds of a free-form JSON object field (avatar settings and metadata). */
export const JSON_FIELD_MAX_DEPTH = 32;

/**
 * The first part of a JSON value the database cannot store: an unstorable string or key, or nesting deeper
 * than `maxDepth` (which would also overflow the stack of whatever serialises it next). Null when none.
 */
export function findUnstorable(value: unknown, maxDepth: number, path: PropertyKey[] = []): { path: PropertyKey[]; message: string } | null {
  if (typeof value === "string") return isStorableText(value) ? null : { path, message: UNSTORABLE_TEXT };
  if (value === null || typeof value !== "object") return null;
  // Reported on the field itself: a path thousands of keys long would help nobody.
  if (path.length >= maxDepth) return { path: [], message: `nests objects and arrays more than ${maxDepth} levels deep` };
  const entries: [PropertyKey, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  for (const [key, child] of entries) {
    if (typeof key === "string" && !isStorableText(key)) return { path, message: `keys ${UNSTORABLE_TEXT}` };
    const found = findUnstorable(child, maxDepth, [...path, key]);
    if (found) return found;
  }
  return null;
}

/**
 * A free-form JSON object field the database can store: every key and string storable, at most `maxDepth`
 * levels deep and, when `maxChars` is given, at most that long serialised (a bound on what one row holds).
 */
export function storableJsonObject(field: string, options: { maxDepth?: number; maxChars?: number } = {}) {
  const maxDepth = options.maxDepth ?? JSON_FIELD_MAX_DEPTH;
  return z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    const problem = findUnstorable(value, maxDepth);
    if (problem) {
      ctx.addIssue({ code: "custom", path: problem.path, message: problem.message });
      return;
    }
    if (options.maxChars !== undefined && JSON.stringify(value).length > options.maxChars) {
      ctx.addIssue({ code: "custom", message: `${field} must serialise to at most ${options.maxChars} bytes of JSON` });
    }
  });
}
