import { describe, expect, it } from "vitest";
import { rateLimitHeaders, TokenBuckets } from "./rate-limit";

describe("token buckets", () => {
  it("allows the burst, then refuses with a Retry-After until refilled", () => {
    const buckets = new TokenBuckets();
    const t0 = 1_000_000;
    for (let i = 0; i < 5; i++) expect(buckets.take("k", 1, 5, t0).allowed).toBe(true);
    const refused = buckets.take("k", 1, 5, t0);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBe(1);
    expect(rateLimitHeaders(refused)).toMatchObject({ "Retry-After": "1", "RateLimit-Policy": "5;w=5" });
    expect(buckets.take("k", 1, 5, t0 + 1000).allowed).toBe(true);
  });

  it("keeps buckets independent per id", () => {
    const buckets = new TokenBuckets();
    expect(buckets.take("a", 1, 1, 0).allowed).toBe(true);
    expect(buckets.take("a", 1, 1, 0).allowed).toBe(false);
    expect(buckets.take("b", 1, 1, 0).allowed).toBe(true);
  });
});
