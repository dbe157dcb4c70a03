import { describe, expect, it } from "vitest";
import { originAllowed, parseAllowedOrigin } from "./origins";

describe("allowed origins of a publishable key", () => {
  it("normalises what a browser would send: lower case, default port dropped, no trailing slash", () => {
    expect(parseAllowedOrigin("https://WWW.Example.com/")).toEqual({ ok: true, origin: "https://www.example.com" });
    expect(parseAllowedOrigin("https://example.com:443")).toEqual({ ok: true, origin: "https://example.com" });
    expect(parseAllowedOrigin("http://localhost:3000")).toEqual({ ok: true, origin: "http://localhost:3000" });
    expect(parseAllowedOrigin("http://127.0.0.1:8080")).toEqual({ ok: true, origin: "http://127.0.0.1:8080" });
    expect(parseAllowedOrigin("https://*.Example.com")).toEqual({ ok: true, origin: "https://*.example.com" });
  });

  it("refuses paths, queries, credentials, other schemes and unsafe wildcards, saying why", () => {
    for (const bad of ["https://example.com/app", "https://example.com?x=1", "https://u:p@example.com", "ftp://example.com", "example.com", "*", "https://*", "https://*.com", "http://*.example.com", "https://*.example.com:8443", "https://a.*.example.com", "https://exa mple.com", "https://-x.example.com", "javascript:alert(1)", ""]) {
      const r = parseAllowedOrigin(bad);
      expect(r.ok, bad).toBe(false);
      if (!r.ok) expect(r.reason.length).toBeGreaterThan(10);
    }
  });

  it("matches exactly, or a subdomain of a wildcard entry (never the bare domain or a look-alike)", () => {
    const allowed = ["https://shop.example.com", "http://localhost:3000", "https://*.acme.io"];
    expect(originAllowed(allowed, "https://shop.example.com")).toBe(true);
    expect(originAllowed(allowed, "http://localhost:3000")).toBe(true);
    expect(originAllowed(allowed, "https://a.acme.io")).toBe(true);
    expect(originAllowed(allowed, "https://a.b.acme.io")).toBe(true);
    for (const other of [null, "null", "https://example.com", "http://shop.example.com", "https://shop.example.com:444", "http://localhost:3001", "https://acme.io", "https://evilacme.io", "http://a.acme.io", "https://a.acme.io:8443", "https://shop.example.com/", "HTTPS://SHOP.EXAMPLE.COM"]) {
      expect(originAllowed(allowed, other), String(other)).toBe(false);
    }
  });
});
