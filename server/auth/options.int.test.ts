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
