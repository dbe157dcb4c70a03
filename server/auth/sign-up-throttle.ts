import "server-only";
import { AddressLimit } from "../services/rate-limit";

// Every sign-up costs a slow password hash and a new workspace with its wallets, and it is open to
// anyone: unlimited, one caller could burn the server's CPU on hashes and fill the database with
// workspaces. So sign-ups are limited per caller address (server/http/client-address.ts), by the
// limiter every other per-address limit uses (shared across instances when REDIS_URL is set). The
// burst leaves room for a class or an office behind one NAT signing up together. Input the schema
// refuses costs nothing (it never reaches the hash); a sign-up refused as a duplicate email still
// costs its token, since trying emails one by one is how someone would learn which are registered.

/** Twenty sign-ups per address, then one every three minutes. */
export const SIGN_UP_LIMIT = { burst: 20, perSecond: 1 / 180 };

const signUps = new AddressLimit("sign-up-address", SIGN_UP_LIMIT, "sign-ups");

/** Charges one sign-up to `address` (a client-address key) or throws 429 rate_limited with when to retry. */
export function chargeSignUp(address: string): Promise<void> {
  return signUps.charge(address);
}

/** Empties this process's sign-up counters (tests start from a clean slate). */
export function resetSignUpThrottle(): void {
  signUps.clear();
}
