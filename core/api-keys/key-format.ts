// API key wire format, shared by server, CLI and dashboard (pure: no Node APIs).
//
//   tic_<env>_<32 random base32 chars><6 checksum chars>         secret key (servers only)
//   tic_pub_<env>_<32 random base32 chars><6 checksum chars>     publishable key (may sit in a page)
//
// A publishable key can do one thing, create a live session from the origins it names
// (docs/security.md); its distinct prefix lets the edge tell the two apart before any lookup.
//
// 32 Crockford base32 chars carry 160 bits from the platform CSPRNG. The checksum is 30 bits of
// CRC-32 over everything before it, so a typo or a random string is refused without a database
// lookup (and cannot be used to probe the key table). CRC is not a MAC: secrecy comes from the
// random part, the checksum only filters garbage cheaply.

export type ApiKeyEnvironment = "test" | "live";
/** `secret`: a server's key (tic_live_…, tic_test_…); `publishable`: a page's key (tic_pub_live_…, tic_pub_test_…). */
export type ApiKeyKind = "secret" | "publishable";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const RANDOM_CHARS = 32;
const CHECKSUM_CHARS = 6;
const KEY_PATTERN = /^tic_(pub_)?(test|live)_([0-9a-hjkmnp-tv-z]{38})$/;

const prefixOf = (environment: ApiKeyEnvironment, kind: ApiKeyKind) => (kind === "publishable" ? `tic_pub_${environment}_` : `tic_${environment}_`);

let crcTable: Uint32Array | undefined;

function crc32(text: string): number {
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) crc = crcTable[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function checksum(prefixAndRandom: string): string {
  let value = crc32(prefixAndRandom) >>> 2; // 30 bits = 6 base32 chars
  let out = "";
  for (let i = 0; i < CHECKSUM_CHARS; i++) {
    out = ALPHABET[value & 31] + out;
    value >>>= 5;
  }
  return out;
}

/** A fresh API key for an environment: 160 random bits plus checksum. */
export function generateApiKey(environment: ApiKeyEnvironment, kind: ApiKeyKind = "secret"): string {
  const bytes = new Uint8Array(RANDOM_CHARS);
  globalThis.crypto.getRandomValues(bytes);
  // 256 is a multiple of 32, so `b & 31` is uniform: each char holds exactly 5 random bits.
  let random = "";
  for (const b of bytes) random += ALPHABET[b & 31];
  const head = prefixOf(environment, kind) + random;
  return head + checksum(head);
}

/** Parses a presented key; null for anything malformed or with a wrong checksum (no DB lookup needed). */
export function parseApiKey(candidate: string): { environment: ApiKeyEnvironment; kind: ApiKeyKind } | null {
  if (candidate.length > 13 + RANDOM_CHARS + CHECKSUM_CHARS) return null;
  const match = KEY_PATTERN.exec(candidate);
  if (!match) return null;
  const head = candidate.slice(0, candidate.length - CHECKSUM_CHARS);
  if (checksum(head) !== candidate.slice(-CHECKSUM_CHARS)) return null;
  return { environment: match[2] as ApiKeyEnvironment, kind: match[1] ? "publishable" : "secret" };
}

/** Whether a presented string claims to be a publishable key (its prefix only; parseApiKey checks it). */
export function isPublishableKeyShaped(candidate: string): boolean {
  return candidate.startsWith("tic_pub_");
}

function prefixLength(key: string): number {
  return isPublishableKeyShaped(key) ? 13 : 9;
}

/** Display form kept after creation: kind and environment prefix, first 4 and last 4 characters. */
export function redactApiKey(key: string): string {
  const n = prefixLength(key);
  return `${key.slice(0, n)}${key.slice(n, n + 4)}…${key.slice(-4)}`;
}

/** Non-secret public id of a key (prefix + first 8 random chars), safe to log and show. */
export function apiKeyPublicId(key: string): string {
  return key.slice(0, prefixLength(key) + 8);
}
