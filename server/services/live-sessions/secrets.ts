import "server-only";
import { createHash, randomBytes } from "node:crypto";

// A session's client secret: what the browser connects with instead of an API key. 32 random bytes
// in base64url (valid as a WebSocket subprotocol token, so it can travel in Sec-WebSocket-Protocol);
// only its sha256 is stored.

export const CLIENT_SECRET_PREFIX = "tcs_";
const SECRET = /^tcs_[A-Za-z0-9_-]{43}$/;

/** A fresh client secret and the hash to store. */
export function newClientSecret(): { value: string; hash: string } {
  const value = CLIENT_SECRET_PREFIX + randomBytes(32).toString("base64url");
  return { value, hash: hashClientSecret(value) };
}

/** The stored form of a secret. */
export function hashClientSecret(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** Whether a string has the shape of a client secret (checked before any lookup). */
export function looksLikeClientSecret(value: string): boolean {
  return SECRET.test(value);
}
