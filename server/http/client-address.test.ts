import { describe, expect, it } from "vitest";
import { getEnv } from "../env";
import { resolveClientAddress, UNKNOWN_CLIENT } from "./client-address";
import { parseTrustedProxy } from "./trusted-proxy";

const h = (headers: Record<string, string>) => new Headers(headers);

describe("client address for per-address limits", () => {
  it("ignores forwarding headers when no proxy is trusted: a spoofed header gets no limit of its own", () => {
    const keys = ["1.1.1.1", "2.2.2.2", "3.3.3.3, 4.4.4.4"].map((xff) => resolveClientAddress(h({ "x-forwarded-for": xff, "x-real-ip": xff }), undefined));
    expect(new Set(keys)).toEqual(new Set([UNKNOWN_CLIENT]));
  });

  it("does not believe a peer stamp sent by the client", () => {
    expect(resolveClientAddress(h({ "x-tic-peer": "guess 9.9.9.9" }), undefined)).toBe(UNKNOWN_CLIENT);
  });

  it("reads the client from the right of X-Forwarded-For through a hop count", () => {
    const one = parseTrustedProxy("1");
    // The client wrote "6.6.6.6"; the one trusted proxy appended whom it really received from.
    expect(resolveClientAddress(h({ "x-forwarded-for": "6.6.6.6, 5.5.5.5" }), one)).toBe("5.5.5.5");
    expect(resolveClientAddress(h({ "x-forwarded-for": "6.6.6.6, 5.5.5.5, 10.0.0.2" }), parseTrustedProxy("2"))).toBe("5.5.5.5");
    expect(resolveClientAddress(h({ "x-forwarded-for": "5.5.5.5" }), parseTrustedProxy("3"))).toBe("5.5.5.5");
    expect(resolveClientAddress(h({}), one)).toBe(UNKNOWN_CLIENT);
  });

  it("skips only hops from trusted ranges", () => {
    const ranges = parseTrustedProxy("10.0.0.0/8, fd00::/8");
    expect(resolveClientAddress(h({ "x-forwarded-for": "6.6.6.6, 5.5.5.5, 10.1.2.3, fd00::7" }), ranges)).toBe("5.5.5.5");
    // An untrusted hop ends the walk: what lies left of it is the client's own writing.
    expect(resolveClientAddress(h({ "x-forwarded-for": "6.6.6.6, 7.7.7.7, 10.1.2.3" }), ranges)).toBe("7.7.7.7");
  });

  it("keys IPv6 callers by their /64 and IPv4-mapped addresses by the IPv4", () => {
    const one = parseTrustedProxy("1");
    const a = resolveClientAddress(h({ "x-forwarded-for": "2001:db8:1:2::1" }), one);
    const b = resolveClientAddress(h({ "x-forwarded-for": "[2001:db8:1:2:ffff::9]:443" }), one);
    expect(a).toBe("2001:0db8:0001:0002::/64");
    expect(b).toBe(a);
    expect(resolveClientAddress(h({ "x-forwarded-for": "2001:db8:1:3::1" }), one)).not.toBe(a);
    expect(resolveClientAddress(h({ "x-forwarded-for": "::ffff:5.5.5.5" }), one)).toBe("5.5.5.5");
    expect(resolveClientAddress(h({ "x-forwarded-for": "5.5.5.5:1234" }), one)).toBe("5.5.5.5");
  });

  it("parses TRUSTED_PROXY once with the environment, naming a bad value", () => {
    const base = { AUTH_SECRET: "x".repeat(32) } as unknown as NodeJS.ProcessEnv;
    expect(getEnv(base).TRUSTED_PROXY).toBeUndefined();
    expect(getEnv({ ...base, TRUSTED_PROXY: "2" }).TRUSTED_PROXY).toEqual({ hops: 2 });
    expect(() => getEnv({ ...base, TRUSTED_PROXY: "10.0.0.0/33" })).toThrow(/TRUSTED_PROXY: "10.0.0.0\/33" is not an IP address or CIDR range/);
    expect(() => getEnv({ ...base, TRUSTED_PROXY: "0" })).toThrow(/TRUSTED_PROXY: a hop count must be 1-16/);
  });
});
