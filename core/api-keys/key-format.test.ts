import { describe, expect, it } from "vitest";
import { apiKeyPublicId, generateApiKey, parseApiKey, redactApiKey } from "./key-format";
import { hasScope, missingScopes } from "./scopes";

describe("api key format", () => {
  it("generates keys that parse back to their environment", () => {
    const live = generateApiKey("live");
    const test = generateApiKey("test");
    expect(live).toMatch(/^tic_live_[0-9a-z]{38}$/);
    expect(parseApiKey(live)).toEqual({ environment: "live", kind: "secret" });
    expect(parseApiKey(test)).toEqual({ environment: "test", kind: "secret" });
  });

  it("generates publishable keys (tic_pub_<env>_) that parse back to their kind and environment", () => {
    const live = generateApiKey("live", "publishable");
    const test = generateApiKey("test", "publishable");
    expect(live).toMatch(/^tic_pub_live_[0-9a-z]{38}$/);
    expect(parseApiKey(live)).toEqual({ environment: "live", kind: "publishable" });
    expect(parseApiKey(test)).toEqual({ environment: "test", kind: "publishable" });
    // The checksum covers the prefix: a publishable key's body under a secret prefix is garbage.
    expect(parseApiKey(live.replace("tic_pub_live_", "tic_live_"))).toBeNull();
    for (const bad of ["tic_pub_garbage", "tic_pub_", "tic_pub_prod_" + live.slice(13), live + "0", live.slice(0, -1)]) expect(parseApiKey(bad)).toBeNull();
    expect(redactApiKey(live)).toMatch(/^tic_pub_live_[0-9a-z]{4}…[0-9a-z]{4}$/);
    expect(apiKeyPublicId(live)).toBe(live.slice(0, 21));
  });

  it("never repeats (160 random bits)", () => {
    const seen = new Set(Array.from({ length: 2000 }, () => generateApiKey("test")));
    expect(seen.size).toBe(2000);
  });

  it("rejects any single-character change via the checksum", () => {
    const key = generateApiKey("live");
    let accepted = 0;
    for (let i = 9; i < key.length; i++) {
      for (const c of "0az9") {
        if (key[i] === c) continue;
        if (parseApiKey(key.slice(0, i) + c + key.slice(i + 1))) accepted++;
      }
    }
    expect(accepted).toBe(0);
  });

  it("rejects malformed strings", () => {
    const key = generateApiKey("test");
    for (const bad of ["", "tic_test_", key.toUpperCase(), key + "0", key.slice(0, -1), key.replace("test", "prod"), ` ${key}`]) {
      expect(parseApiKey(bad)).toBeNull();
    }
  });

  it("redacts to a form that does not reveal the secret", () => {
    const key = generateApiKey("live");
    const redacted = redactApiKey(key);
    expect(redacted.startsWith("tic_live_")).toBe(true);
    expect(redacted.length).toBeLessThan(20);
    expect(apiKeyPublicId(key)).toBe(key.slice(0, 17));
  });
});

describe("scopes", () => {
  it("treats * as every scope", () => {
    expect(hasScope(["*"], "avatars:write")).toBe(true);
    expect(hasScope(["avatars:read"], "avatars:write")).toBe(false);
    expect(missingScopes(["avatars:read"], ["avatars:read", "*"])).toEqual(["*"]);
    expect(missingScopes(["*"], ["*", "usage:read"])).toEqual([]);
  });
});
