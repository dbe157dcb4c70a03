// Crockford base32 without padding: readable, case-insensitive, no ambiguous letters.
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/** Random id with a type prefix (`ten_…`, `ava_…`): 20 base32 chars = 100 bits from the platform CSPRNG. */
export function newId(prefix: string, length = 20): string {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  let out = "";
  for (const b of bytes) out += ALPHABET[b & 31];
  return `${prefix}_${out}`;
}

/** A URL-safe slug from a display name; callers append a suffix on collision. */
export function slugify(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  return base || "workspace";
}
