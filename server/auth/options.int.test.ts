import { afterEach, describe, expect, it, vi } from "vitest";
import { resetProcessState } from "@/server/process-state";

async function loadOptions(env: Record<string, string>) {
  vi.resetModules();
  await resetProcessState();
  for (const [k, v] of Object.entries(env)) vi.stubEnv(k, v);
  const { getAuthOptions } = await import("./options");
  return getAuthOptions();
}

afterEach(async () => {
  vi.unstubAllEnvs();
  await resetProcessState();
});

const base = { AUTH_SECRET: "x".repeat(32), DATABASE_URL: "", PGLITE_DATA_DIR: "memory://" };

describe("sign-in providers", () => {
  it("offers email + password only when GitHub is not configured", async () => {
    const options = await loadOptions(base);
    expect(options.providers.map((p) => p.id)).toEqual(["credentials"]);
    expect(options.session?.strategy).toBe("jwt");
  });

  it("offers GitHub when AUTH_GITHUB_ID and AUTH_GITHUB_SECRET are set", async () => {
    const options = await loadOptions({ ...base, AUTH_GITHUB_ID: "gh-client", AUTH_GITHUB_SECRET: "gh-secret" });
    expect(options.providers.map((p) => p.id)).toEqual(["credentials", "github"]);
  });
});

// The user's authorize as Auth.js calls it (CredentialsProvider keeps it under `options`).
type Authorize = (credentials: Record<string, string>, req: { headers: Record<string, string>; method: string }) => Promise<{ id: string } | null>;
async function passwordSignIn() {
  const options = await loadOptions(base);
  const provider = options.providers.find((p) => p.id === "credentials") as unknown as { options: { authorize: Authorize } };
  const { getDb } = await import("../db/client");
  const { signUp } = await import("../services/users");
  const { resetSignInThrottle } = await import("./sign-in-throttle");
  resetSignInThrottle();
  await signUp(await getDb(), { name: "Petra", email: "petra@example.com", password: "petra-password-1" });
  const attempt = (email: string, password: string) => provider.options.authorize({ email, password }, { headers: {}, method: "POST" });
  // What the sign-in page receives: the user, or the error message Auth.js forwards (null is "CredentialsSignin").
  return (email: string, password: string) =>
    attempt(email, password).then(
      (user) => (user ? `signed in as ${user.id}` : "wrong email or password"),
      (error: Error) => error.message,
    );
}

describe("password sign-in throttling", () => {
  afterEach(() => vi.useRealTimers());

  it("refuses the right password after a burst of wrong ones, then recovers", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const signIn = await passwordSignIn();
    const wrong = await Promise.all(Array.from({ length: 30 }, () => signIn("Petra@Example.com ", "not-her-password-1")));
    expect(wrong.filter((r) => r === "wrong email or password").length).toBeLessThanOrEqual(10);
    const throttled = await signIn("petra@example.com", "petra-password-1");
    expect(throttled).toMatch(/^Too many sign-in attempts; try again in \d+ minutes?\.$/);
    vi.setSystemTime(Date.now() + 60 * 60 * 1000);
    expect(await signIn("petra@example.com", "petra-password-1")).toMatch(/^signed in as usr_/);
  });

  it("throttles an unknown email exactly like an existing account, with the same message", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const signIn = await passwordSignIn();
    const known: string[] = [];
    const unknown: string[] = [];
    for (let i = 0; i < 30; i++) {
      known.push(await signIn("petra@example.com", "not-her-password-1"));
      unknown.push(await signIn("nobody@example.com", "not-her-password-1"));
    }
    expect(unknown).toEqual(known);
    expect(new Set(known.slice(-5))).toEqual(new Set([known.at(-1)]));
    expect(known.at(-1)).toMatch(/^Too many sign-in attempts/);
  });

  it("answers an email the database cannot store as a plain failed sign-in, leaking nothing", async () => {
    const signIn = await passwordSignIn();
    expect(await signIn("petra\u0000@example.com", "petra-password-1")).toBe("wrong email or password");
    expect(await signIn("petra\uD800@example.com", "petra-password-1")).toBe("wrong email or password");
  });
});
