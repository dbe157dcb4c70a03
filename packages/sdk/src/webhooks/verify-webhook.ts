import { checkSignature, DEFAULT_TOLERANCE_S } from "../../../../core/webhooks/signature";
import { TicSdkError } from "../rest/errors";

/** What a webhook delivers (docs/webhooks.md); `data` depends on `type`. */
export interface WebhookEvent<T = unknown> {
  id: string;
  type: string;
  /** Unix seconds when the event happened. */
  created: number;
  data: T;
}

export interface VerifyWebhookOptions {
  /** How far the signature's timestamp may be from now, in seconds (default 300). */
  toleranceS?: number;
  /** Now, in unix seconds (tests). */
  nowS?: number;
}

/**
 * Checks a webhook's `Tic-Signature` header against the raw request body and your workspace's
 * webhook secret, then parses it. Throws TicSdkError (`invalid_signature`) when the body was not
 * signed with the secret, was changed, or the signature is older than `toleranceS`. Pass the body
 * exactly as received (the text, before any JSON parsing).
 */
export async function verifyWebhook<T = unknown>(body: string | Uint8Array, header: string | null | undefined, secret: string, options: VerifyWebhookOptions = {}): Promise<WebhookEvent<T>> {
  if (!header) throw new TicSdkError("invalid_signature", "the request has no Tic-Signature header; it did not come from TIC Realtime Avatar");
  if (!secret) throw new TicSdkError("invalid_signature", "pass your workspace's webhook secret (Dashboard → Settings → Webhooks)");
  const text = typeof body === "string" ? body : new TextDecoder().decode(body);
  const check = await checkSignature(text, header, secret, options.toleranceS ?? DEFAULT_TOLERANCE_S, options.nowS ?? Math.floor(Date.now() / 1000));
  if (!check.ok) throw new TicSdkError("invalid_signature", `${check.code}: ${check.message}`);
  try {
    return JSON.parse(text) as WebhookEvent<T>;
  } catch (cause) {
    throw new TicSdkError("bad_response", "the signed webhook body is not JSON", { cause });
  }
}
