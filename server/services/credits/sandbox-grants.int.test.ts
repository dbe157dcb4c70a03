import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCaller } from "../../api/root";
import { TEST_DATABASES, type TestDatabase } from "../../testing/databases";
import { signUp } from "../users";

process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret";

const MINUTE = 60 * 1_000_000;
const ALLOWANCE = 30 * MINUTE; // every workspace's starting sandbox credit
const TOP_UP_CAP_MINUTES = 120; // what an owner may add over the workspace's lifetime

// The owner's free sandbox top-ups are capped over the workspace's lifetime, not per call, and
// concurrent grants cannot overshoot the cap together.
describe.each(TEST_DATABASES)("sandbox top-ups on %s", (_name, open) => {
  let t: TestDatabase;
  let n = 0;
  async function owner() {
    const made = await signUp(t.db, { name: "Owner", email: `owner-${n++}@example.com`, password: "owner-password-1" });
    return createCaller({ db: t.db, user: { ...made.user, name: null }, headers: new Headers({ host: "app.test" }), resHeaders: new Headers() });
  }
  const granted = async (api: Awaited<ReturnType<typeof owner>>) => (await api.billing.overview()).balances[0]!.lifetimeGrantedCreditMicros;

  beforeAll(async () => {
    t = await open();
  });
  afterAll(() => t?.close());

  it("repeated grants stop at the lifetime cap, naming what remains", async () => {
    const api = await owner();
    await api.billing.grantSandbox({ minutes: 100 });
    const refused = await api.billing.grantSandbox({ minutes: 30 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(TRPCError);
    expect(refused).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("20 more sandbox minutes") });
    expect((await api.billing.overview()).sandboxTopUpMinutesRemaining).toBe(20);
    await api.billing.grantSandbox({ minutes: 20 });
    await expect(api.billing.grantSandbox({ minutes: 1 })).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("no sandbox minutes remain") });
    expect(await granted(api)).toBe(ALLOWANCE + TOP_UP_CAP_MINUTES * MINUTE);
  });

  it("concurrent grants never exceed the cap together", async () => {
    const api = await owner();
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => api.billing.grantSandbox({ minutes: 20 })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(6);
    expect(await granted(api)).toBe(ALLOWANCE + TOP_UP_CAP_MINUTES * MINUTE);
  });
});
