import "server-only";
import { signInThrottledMessage } from "@/core/accounts/account-input";
import { processState } from "../process-state";
import { TokenBuckets } from "../services/rate-limit";

// Online password guessing is bounded twice: per account and per caller address. Every attempt costs a
// token up front (so parallel guesses cannot slip past a check made before the slow hash), and a
// successful sign-in gives its tokens back, so only failures accumulate. The account is the normalised
// email whether or not anyone has it: throttling, its timing and its message never reveal which emails
// exist. In-process, like the API rate limits; several server processes need a shared store.

/** Ten tries per email, then one a minute. */
export const ACCOUNT_LIMIT = { burst: 10, perSecond: 1 / 60 };
/** Fifty tries per address (an office behind one NAT), then ten a minute. */
export const ADDRESS_LIMIT = { burst: 50, perSecond: 1 / 6 };

// Per process (server/process-state.ts): Next.js may load this module once per route bundle.
const buckets = processState(
  "signInThrottle",
  () => ({ account: new TokenBuckets(), address: new TokenBuckets() }),
  (b) => {
    b.account.clear();
    b.address.clear();
  },
);

export type SignInAttempt = { allowed: true; succeeded: () => void } | { allowed: false; message: string; retryAfterSeconds: number };

/** Charges one password attempt for `email` from `address` (null when unknown: only the account is limited). */
export function beginSignInAttempt(email: string, address: string | null, now = Date.now()): SignInAttempt {
  const account = `email:${email.trim().toLowerCase()}`;
  const byAccount = buckets.account.take(account, ACCOUNT_LIMIT.perSecond, ACCOUNT_LIMIT.burst, now);
  if (!byAccount.allowed) return refused(byAccount.retryAfterSeconds);
  if (address !== null) {
    const byAddress = buckets.address.take(address, ADDRESS_LIMIT.perSecond, ADDRESS_LIMIT.burst, now);
    if (!byAddress.allowed) {
      buckets.account.refund(account, ACCOUNT_LIMIT.burst);
      return refused(byAddress.retryAfterSeconds);
    }
  }
  return {
    allowed: true,
    succeeded: () => {
      buckets.account.refund(account, ACCOUNT_LIMIT.burst);
      if (address !== null) buckets.address.refund(address, ADDRESS_LIMIT.burst);
    },
  };
}

function refused(retryAfterSeconds: number): SignInAttempt {
  return { allowed: false, message: signInThrottledMessage(retryAfterSeconds), retryAfterSeconds };
}

/** Empties every sign-in bucket (tests start from a clean slate). */
export function resetSignInThrottle(): void {
  buckets.account.clear();
  buckets.address.clear();
}
