import "server-only";
import { processState } from "../process-state";
import { DEFAULT_PLAN_LIMITS, type PlanLimits } from "./plan-limits";
import { AppError } from "../errors";

// In-process token buckets, one per API key and one per tenant. Good for a single server process;
// a multi-instance deployment needs a shared store (Redis, or a Postgres counter) behind the same
// `take()` interface, otherwise each instance grants the full limit.

export type TakeResult = {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the bucket is full again (RateLimit reset). */
  resetSeconds: number;
  /** Seconds until one token is available; 0 when allowed. */
  retryAfterSeconds: number;
  windowSeconds: number;
};

type Bucket = { tokens: number; at: number };

/** A set of token buckets sharing one rate and capacity. */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  constructor(private readonly maxEntries = 100_000) {}

  /** Takes one token from `id`'s bucket (refilled at `perSecond` up to `burst`). */
  take(id: string, perSecond: number, burst: number, now = Date.now()): TakeResult {
    let bucket = this.buckets.get(id);
    if (!bucket) {
      if (this.buckets.size >= this.maxEntries) this.evictFull(now, perSecond, burst);
      bucket = { tokens: burst, at: now };
      this.buckets.set(id, bucket);
    }
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    const windowSeconds = Math.max(1, Math.ceil(burst / perSecond));
    return {
      allowed,
      limit: burst,
      remaining: Math.floor(bucket.tokens),
      resetSeconds: Math.ceil((burst - bucket.tokens) / perSecond),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - bucket.tokens) / perSecond)),
      windowSeconds,
    };
  }

  /** Gives one token back to `id`'s bucket (a charged request that turned out not to count), up to `burst`. */
  refund(id: string, burst: number): void {
    const bucket = this.buckets.get(id);
    if (bucket) bucket.tokens = Math.min(burst, bucket.tokens + 1);
  }

  /** Forgets every bucket. */
  clear(): void {
    this.buckets.clear();
  }

  // A full bucket carries no state; dropping those keeps memory bounded under many keys.
  private evictFull(now: number, perSecond: number, burst: number) {
    for (const [id, b] of this.buckets) {
      if (b.tokens + ((now - b.at) / 1000) * perSecond >= burst) this.buckets.delete(id);
    }
    if (this.buckets.size >= this.maxEntries) this.buckets.delete(this.buckets.keys().next().value!);
  }
}

// Process-wide: the limits are per key and tenant across every route of the process, not per route bundle.
const { key: keyBuckets, tenant: tenantBuckets } = processState(
  "rateBuckets",
  () => ({ key: new TokenBuckets(), tenant: new TokenBuckets() }),
  (b) => {
    b.key.clear();
    b.tenant.clear();
  },
);

/** Charges one request to the key and its tenant; the tighter answer wins. */
export function takeRequest(limits: Record<string, PlanLimits>, plan: string, keyId: string, tenantId: string, now = Date.now()): TakeResult {
  const l = limits[plan] ?? limits.free ?? DEFAULT_PLAN_LIMITS.free!;
  const byKey = keyBuckets.take(keyId, l.keyPerSecond, l.keyBurst, now);
  if (!byKey.allowed) return byKey;
  const byTenant = tenantBuckets.take(tenantId, l.tenantPerSecond, l.tenantBurst, now);
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
 * A token bucket per client address, for work done for callers nobody knows (the public demo):
 * `charge` takes one token or throws 429 rate_limited with when to retry.
 */
export class AddressLimit {
  private readonly buckets = new TokenBuckets(10_000);

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    /** What is limited, as the refusal names it ("demo turns"). */
    private readonly what: string,
  ) {}

  charge(address: string, now = Date.now()): void {
    const r = this.buckets.take(address, this.perSecond, this.burst, now);
    if (!r.allowed) {
      throw new AppError("rate_limited", `Too many ${this.what} from this address; try again in ${r.retryAfterSeconds} s.`, { retryAfterSeconds: r.retryAfterSeconds });
    }
  }

  /** Forgets every address (all full again). */
  clear(): void {
    this.buckets.clear();
  }
}
