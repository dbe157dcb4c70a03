// API key wire format, shared by server, CLI and dashboard (pure: no Node APIs).
//
//   tic_<env>_<32 random base32 chars><6 checksum chars>
//
// 32 Crockford base32 chars carry 160 bits from the platform CSPRNG. The checksum is 30 bits of
// CRC-32 over everything before it, so a typo or a random string is refused without a database
// lookup (and cannot be used to probe the key table). CRC is not a MAC: secrecy comes from the
// random part, the checksum only filters garbage cheaply.

export type ApiKeyEnvironment = "test" | "live";

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const RANDOM_CHARS = 32;
const CHECKSUM_CHARS = 6;
const KEY_PATTERN = /^tic_(test|live)_([0-9a-hjkmnp-tv-z]{38})$/;

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
export function generateApiKey(environment: ApiKeyEnvironment): string {
  const bytes = new Uint8Array(RANDOM_CHARS);
  globalThis.crypto.getRandomValues(bytes);
  // 256 is a multiple of 32, so `b & 31` is uniform: each char holds exactly 5 random bits.
  let random = "";
  for (const b of bytes) random += ALPHABET[b & 31];
  const head = `tic_${environment}_${random}`;
  return head + checksum(head);
}

/** Parses a presented key; null for anything malformed or with a wrong checksum (no DB lookup needed). */
export function parseApiKey(candidate: string): { environment: ApiKeyEnvironment } | null {
  if (candidate.length !== 9 + RANDOM_CHARS + CHECKSUM_CHARS) return null;
  const match = KEY_PATTERN.exec(candidate);
  if (!match) return null;
  const head = candidate.slice(0, candidate.length - CHECKSUM_CHARS);
  if (checksum(head) !== candidate.slice(-CHECKSUM_CHARS)) return null;
  return { environment: match[1] as ApiKeyEnvironment };
}

/** Display form kept after creation: environment prefix, first 4 and last 4 characters. */
export function redactApiKey(key: string): string {
  const env = key.startsWith("tic_live_") ? "live" : "test";
  return `tic_${env}_${key.slice(9, 13)}…${key.slice(-4)}`;
}

/** Non-secret public id of a key (prefix + first 8 random chars), safe to log and show. */
export function apiKeyPublicId(key: string): string {
  return key.slice(0, 17);
}
