// The signature of outbound webhooks (docs/webhooks.md): HMAC-SHA256 over `${timestamp}.${body}`
// with the workspace's secret, sent as `Tic-Signature: t=<unix seconds>,v1=<hex>`. The timestamp is
// inside what is signed, so a captured request cannot be replayed later with a fresh one. WebCrypto
// only: the server signs and the SDK (browser or Node) verifies with this same code.

export const SIGNATURE_HEADER = "Tic-Signature";
/** Receivers refuse signatures older (or newer) than this by default. */
export const DEFAULT_TOLERANCE_S = 300;

const encoder = new TextEncoder();

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await globalThis.crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await globalThis.crypto.subtle.sign("HMAC", key, encoder.encode(message)));
  let hex = "";
  for (const b of mac) hex += b.toString(16).padStart(2, "0");
  return hex;
}

/** The `Tic-Signature` value for `body` sent at `timestampS`. */
export async function signatureHeader(secret: string, body: string, timestampS: number): Promise<string> {
  return `t=${timestampS},v1=${await hmacHex(secret, `${timestampS}.${body}`)}`;
}

/** `t` and every `v1` of a header; null when it is not one we send. */
export function parseSignatureHeader(header: string): { t: number; v1: string[] } | null {
  let t: number | null = null;
  const v1: string[] = [];
  for (const part of header.split(",")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === "t" && /^\d{1,12}$/.test(v)) t = Number(v);
    else if (k === "v1" && /^[0-9a-f]{64}$/.test(v)) v1.push(v);
  }
  return t === null || v1.length === 0 ? null : { t, v1 };
}

/** Equal-length strings compared without an early exit, so timing does not reveal a prefix. */
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

export type SignatureCheck = { ok: true; timestampS: number } | { ok: false; code: "malformed_signature" | "timestamp_out_of_tolerance" | "signature_mismatch"; message: string };

/** Checks a header against the body and secret, the timestamp within `toleranceS` of `nowS`. */
export async function checkSignature(body: string, header: string, secret: string, toleranceS: number, nowS: number): Promise<SignatureCheck> {
  const parsed = parseSignatureHeader(header);
  if (!parsed) return { ok: false, code: "malformed_signature", message: `${SIGNATURE_HEADER} must look like t=<unix seconds>,v1=<64 hex digits>.` };
  if (Math.abs(nowS - parsed.t) > toleranceS) {
    return { ok: false, code: "timestamp_out_of_tolerance", message: `The signature is ${Math.abs(nowS - parsed.t)} s from now; at most ${toleranceS} s is accepted (a replay, or this server's clock is off).` };
  }
  const expected = await hmacHex(secret, `${parsed.t}.${body}`);
  if (!parsed.v1.some((v) => constantTimeEqual(v, expected))) {
    return { ok: false, code: "signature_mismatch", message: "No signature matches this body and secret: check the secret (it changes when rotated) and verify the raw body, before any JSON parsing." };
  }
  return { ok: true, timestampS: parsed.t };
}
