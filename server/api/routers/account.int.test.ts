// Sign-up is open to anyone, so it is limited per caller address (server/auth/sign-up-throttle.ts).
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { pgliteTestDb, type TestDatabase } from "../../testing/databases";
import { resetSignUpThrottle, SIGN_UP_LIMIT } from "../../auth/sign-up-throttle";
import { createCaller } from "../root";

vi.hoisted(() => {
  process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret";
  // One trusted proxy in front: X-Forwarded-For's last entry is the caller (what a deployment behind a load balancer sets).
  process.env.TRUSTED_PROXY = "1";
});

let t: TestDatabase;
beforeAll(async () => {
  t = await pgliteTestDb();
});
afterAll(() => t.close());
beforeEach(() => resetSignUpThrottle());

const from = (address: string) => createCaller({ db: t.db, user: null, headers: new Headers({ "x-forwarded-for": address }), resHeaders: new Headers() });
let n = 0;
const signUp = (address: string, email = `user${++n}@example.com`) => from(address).account.signUp({ name: "New", email, password: "new-password-1" });

describe("account.signUp throttle", () => {
  it("refuses an address past its burst with TOO_MANY_REQUESTS and when to retry, other addresses unaffected", async () => {
    for (let i = 0; i < SIGN_UP_LIMIT.burst; i++) await signUp("203.0.113.7");
    await expect(signUp("203.0.113.7")).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: expect.stringMatching(/^Too many sign-ups from this address; try again in \d+ s\.$/),
    });
    await expect(signUp("198.51.100.4")).resolves.toMatchObject({ tenantSlug: expect.any(String) });
  }, 60_000);

  it("charges a sign-up refused as a duplicate email, so emails cannot be probed without limit", async () => {
    await signUp("192.0.2.9", "taken@example.com");
    for (let i = 1; i < SIGN_UP_LIMIT.burst; i++) await expect(signUp("192.0.2.9", "taken@example.com")).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(signUp("192.0.2.9", "taken@example.com")).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
  }, 60_000);

  it("does not charge input the schema refuses", async () => {
    const weak = () => from("192.0.2.50").account.signUp({ name: "Weak", email: `weak${++n}@example.com`, password: "x" });
    for (let i = 0; i < SIGN_UP_LIMIT.burst + 2; i++) await expect(weak()).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(signUp("192.0.2.50")).resolves.toBeDefined();
  });
});
