import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ACCOUNT_LIMIT, ADDRESS_LIMIT, beginSignInAttempt, resetSignInThrottle } from "./sign-in-throttle";

const fail = (email: string, address: string | null) => beginSignInAttempt(email, address);

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
  resetSignInThrottle();
});
afterEach(() => vi.useRealTimers());

describe("sign-in throttle", () => {
  it("limits one address spraying many accounts", async () => {
    for (let i = 0; i < ADDRESS_LIMIT.burst; i++) expect((await fail(`user${i}@example.com`, "203.0.113.7")).allowed).toBe(true);
    const refused = await fail("fresh@example.com", "203.0.113.7");
    expect(refused).toMatchObject({ allowed: false, message: expect.stringMatching(/^Too many sign-in attempts; try again in 1 minute\.$/) });
    // The refused address did not use up the fresh account's own allowance.
    expect((await fail("fresh@example.com", "198.51.100.1")).allowed).toBe(true);
  });

  it("limits one account guessed from many addresses, counting the email normalised", async () => {
    for (let i = 0; i < ACCOUNT_LIMIT.burst; i++) expect((await fail(i % 2 ? "Ana@Example.com" : " ana@example.com", `198.51.100.${i}`)).allowed).toBe(true);
    expect((await fail("ana@example.com", "192.0.2.1")).allowed).toBe(false);
    expect((await fail("ana@example.com", null)).allowed).toBe(false);
    // One more try a minute later, as the message says.
    vi.advanceTimersByTime(60_000);
    expect((await fail("ana@example.com", null)).allowed).toBe(true);
  });

  it("gives a successful attempt's tokens back, so only failures accumulate", async () => {
    for (let i = 0; i < 3 * ACCOUNT_LIMIT.burst; i++) {
      const attempt = await fail("bo@example.com", "192.0.2.9");
      expect(attempt.allowed).toBe(true);
      if (attempt.allowed) await attempt.succeeded();
    }
  });
});
