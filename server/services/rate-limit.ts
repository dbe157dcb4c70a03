import "server-only";
import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { DEFAULT_PLAN_LIMITS, type PlanLimits } from "./plan-limits";
import { AppError } from "../errors";
import { forgetCounters, sharedCounter, type WindowSpec } from "./rate-limit-store";

// The one limiter every caller uses (the REST edge per key and tenant, the public demo per address,
// password sign-in per account and address). A limit allows `burst` at once and `perSecond` after,
// counted where server/services/rate-limit-store.ts keeps counters: in Redis, shared by every app
// instance, when REDIS_URL is set, else in this process. It is two of rate-limiter-flexible's
// fixed windows, the scheme of its BurstyRateLimiter: a steady window (`perSecond`, e.g. 20 per
// second or 1 per minute) and, once that is spent, a burst window holding the rest of `burst` for
// burst/perSecond seconds. Over a long run that is at most twice `perSecond`; at once, `burst`.

export type TakeResult = {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the limit is whole again (RateLimit reset). */
  resetSeconds: number;
  /** Seconds until one more request is allowed; 0 when allowed. */
  retryAfterSeconds: number;
  windowSeconds: number;
};

/** A take, with how to give its point back (a charged attempt that turned out not to count). */
export type Taken = TakeResult & { refund: () => Promise<void> };

export type LimitSpec = { perSecond: number; burst: number };

/** The steady and burst windows of a limit. */
export function limitWindows(spec: LimitSpec): { steady: WindowSpec; burst?: WindowSpec } {
  const durationSeconds = spec.perSecond >= 1 ? 1 : Math.max(1, Math.round(1 / spec.perSecond));
  const points = Math.max(1, Math.min(spec.burst, Math.round(spec.perSecond * durationSeconds)));
  const steady = { points, durationSeconds };
  const rest = spec.burst - points;
  return rest > 0 ? { steady, burst: { points: rest, durationSeconds: Math.max(durationSeconds, Math.ceil(spec.burst / spec.perSecond)) } } : { steady };
}

type Counter = RateLimiterAbstract;

// By shape, not `instanceof`: Next.js bundles this library into each route bundle, while the counters
// live in process state (made by whichever bundle came first), so a refusal's class can be another
// copy's RateLimiterRes. `instanceof` then failed and a refusal escaped as an error: a sign-in right
// after a wrong password (the steady window full, the burst one not) failed with "wrong password".
function isRefusal(e: unknown): e is RateLimiterRes {
  return e instanceof RateLimiterRes || (typeof e === "object" && e !== null && "msBeforeNext" in e && "consumedPoints" in e && "remainingPoints" in e);
}

async function consume(counter: Counter, id: string): Promise<{ ok: boolean; res: RateLimiterRes }> {
  try {
    return { ok: true, res: await counter.consume(id) };
  } catch (refusal) {
    // A refusal is a RateLimiterRes; anything else is a store error the insurance limiter did not absorb.
    if (isRefusal(refusal)) return { ok: false, res: refusal };
    throw refusal;
  }
}

const left = (counter: Counter, res: RateLimiterRes | null) => (res ? Math.max(0, counter.points - res.consumedPoints) : counter.points);
const msLeft = (res: RateLimiterRes | null) => (res && res.consumedPoints > 0 ? Math.max(0, res.msBeforeNext) : 0);

/** One named limit (`name` keys its counters: the same name and spec share them across instances). */
export class RateLimit {
  constructor(
    readonly name: string,
    readonly spec: LimitSpec,
    private readonly counterFor: (name: string, window: WindowSpec) => Counter = sharedCounter,
  ) {}

  /** Charges one request to `id`. */
  async take(id: string): Promise<Taken> {
    const windows = limitWindows(this.spec);
    const steady = this.counterFor(`${this.name}:s`, windows.steady);
    const burst = windows.burst ? this.counterFor(`${this.name}:b`, windows.burst) : undefined;
    // The burst window's state is read beside the steady charge (one round trip to Redis, not two).
    const [first, burstNow] = await Promise.all([consume(steady, id), burst ? burst.get(id) : Promise.resolve(null)]);
    const windowSeconds = (windows.burst ?? windows.steady).durationSeconds;
    const result = (allowed: boolean, remaining: number, burstRes: RateLimiterRes | null, charged?: Counter): Taken => ({
      allowed,
      limit: this.spec.burst,
      remaining,
      resetSeconds: Math.ceil(Math.max(msLeft(first.res), msLeft(burstRes)) / 1000),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil(Math.min(first.res.msBeforeNext, burstRes ? burstRes.msBeforeNext : Infinity) / 1000)),
      windowSeconds,
      refund: async () => {
        await charged?.reward(id, 1);
      },
    });
    if (first.ok) return result(true, left(steady, first.res) + (burst ? left(burst, burstNow) : 0), burstNow, steady);
    if (!burst) return result(false, 0, null);
    const second = await consume(burst, id);
    return second.ok ? result(true, left(burst, second.res), second.res, burst) : result(false, 0, second.res);
  }

  /** Forgets this process's counters of the limit (tests); shared counters in Redis expire on their own. */
  clear(): void {
    forgetCounters(`${this.name}:`);
  }
}

/** Charges one request to the key and its tenant; the tighter answer wins. */
export async function takeRequest(limits: Record<string, PlanLimits>, plan: string, keyId: string, tenantId: string): Promise<TakeResult> {
  const l = limits[plan] ?? limits.free ?? DEFAULT_PLAN_LIMITS.free!;
  const byKey = await new RateLimit("api-key", { perSecond: l.keyPerSecond, burst: l.keyBurst }).take(keyId);
  if (!byKey.allowed) return byKey;
  const byTenant = await new RateLimit("api-tenant", { perSecond: l.tenantPerSecond, burst: l.tenantBurst }).take(tenantId);
  if (!byTenant.allowed) return byTenant;
  return byKey.remaining <= byTenant.remaining ? byKey : byTenant;
}

/** RateLimit / RateLimit-Policy headers (IETF draft-7 form) plus Retry-After when refused. */
export function rateLimitHeaders(r: TakeResult): Record<string, string> {
  const headers: Record<string, string> = {
    "RateLimit-Policy": `${r.limit};w=${r.windowSeconds}`,
    RateLimit: `limit=${r.limit}, remaining=${r.remaining}, reset=${r.resetSeconds}`,
  };
  if (!r.allowed) headers["Retry-After"] = String(r.retryAfterSeconds);
  return headers;
}

/**
 * A limit per client address, for work done for callers nobody knows (the public demo):
 * `charge` takes one request or throws 429 rate_limited with when to retry.
 */
export class AddressLimit {
  private readonly limit: RateLimit;

  constructor(
    name: string,
    spec: LimitSpec,
    /** What is limited, as the refusal names it ("demo turns"). */
    private readonly what: string,
  ) {
    this.limit = new RateLimit(name, spec);
  }

  async charge(address: string): Promise<void> {
    const r = await this.limit.take(address);
    if (!r.allowed) {
      throw new AppError("rate_limited", `Too many ${this.what} from this address; try again in ${r.retryAfterSeconds} s.`, { retryAfterSeconds: r.retryAfterSeconds });
    }
  }

  /** Forgets every address (all whole again; this process's counters). */
  clear(): void {
    this.limit.clear();
  }
}
