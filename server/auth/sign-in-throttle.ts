import "server-only";
import { signInThrottledMessage } from "@/core/accounts/account-input";
import { createHash } from "node:crypto";
import { RateLimit, type Taken } from "../services/rate-limit";

// Online password guessing is bounded twice: per account and per caller address. Every attempt costs a
// token up front (so parallel guesses cannot slip past a check made before the slow hash), and a
// successful sign-in gives its tokens back, so only failures accumulate. The account is the normalised
// email whether or not anyone has it: throttling, its timing and its message never reveal which emails
// exist.

/** Ten tries per email, then one a minute. */
export const ACCOUNT_LIMIT = { burst: 10, perSecond: 1 / 60 };
/** Fifty tries per address (an office behind one NAT), then ten a minute. */
export const ADDRESS_LIMIT = { burst: 50, perSecond: 1 / 6 };

// One limiter for the REST edge, the demo and this (server/services/rate-limit.ts): shared by every
// app instance when REDIS_URL is set. The account is keyed by a hash of the email, so Redis never
// holds addresses of people.
const account = new RateLimit("sign-in-account", ACCOUNT_LIMIT);
const byAddress = new RateLimit("sign-in-address", ADDRESS_LIMIT);

export type SignInAttempt = { allowed: true; succeeded: () => Promise<void> } | { allowed: false; message: string; retryAfterSeconds: number };

/** Charges one password attempt for `email` from `address` (null when unknown: only the account is limited). */
export async function beginSignInAttempt(email: string, address: string | null): Promise<SignInAttempt> {
  const accountId = createHash("sha256").update(`email:${email.trim().toLowerCase()}`).digest("base64url");
  const byAccount = await account.take(accountId);
  if (!byAccount.allowed) return refused(byAccount.retryAfterSeconds);
  let fromAddress: Taken | undefined;
  if (address !== null) {
    fromAddress = await byAddress.take(address);
    if (!fromAddress.allowed) {
      await byAccount.refund();
      return refused(fromAddress.retryAfterSeconds);
    }
  }
  return {
    allowed: true,
    succeeded: async () => {
      await Promise.all([byAccount.refund(), fromAddress?.refund()]);
    },
  };
}

function refused(retryAfterSeconds: number): SignInAttempt {
  return { allowed: false, message: signInThrottledMessage(retryAfterSeconds), retryAfterSeconds };
}

/** Empties every sign-in counter of this process (tests start from a clean slate). */
export function resetSignInThrottle(): void {
  account.clear();
  byAddress.clear();
}
