// Every method and path under /api/ that no route serves answers in the REST error contract.
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { NextRouteHandler } from "./api-route";
import { ROUTES, routeFileFor } from "./route-table";
import { allowedMethods } from "./unrouted";

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];
const paths = [...new Set(Object.values(ROUTES).map((r) => r.path))];

async function routeModule(file: string): Promise<Record<string, NextRouteHandler | undefined>> {
  return (await import(/* @vite-ignore */ resolve(__dirname, "../..", file))) as Record<string, NextRouteHandler | undefined>;
}
const call = (handler: NextRouteHandler, method: string, path: string) =>
  handler(new Request(`http://localhost${path}`, { method, headers: { "x-request-id": "req-405" } }), { params: Promise.resolve({}) });

describe("methods a known /api/v1 path does not serve", () => {
  it.each(paths)("%s answers the contract's 405 for each of them", async (path) => {
    const mod = await routeModule(routeFileFor(path));
    const allow = allowedMethods(path);
    const missing = METHODS.filter((m) => !allow.includes(m));
    expect(missing.filter((m) => typeof mod[m] !== "function"), "route file lacks otherMethods() exports").toEqual([]);
    for (const method of missing) {
      const res = await call(mod[method]!, method, path.replace(/\{\w+\}/g, "x"));
      expect(res.status).toBe(405);
      expect(res.headers.get("allow")).toBe(allow.join(", "));
      expect(res.headers.get("x-request-id")).toBe("req-405");
      if (method !== "HEAD") expect(await res.json()).toMatchObject({ status: 405, code: "method_not_allowed", retryable: false, error: expect.stringContaining(method) });
    }
  });
});

describe("paths no /api route serves", () => {
  it.each([
    ["GET", "/api/v1/nothing-here"],
    ["POST", "/api/v1/avatars/ava_x/extra"],
    ["DELETE", "/api/nope"],
  ])("%s %s answers the contract's 404", async (method, path) => {
    const mod = await routeModule("app/api/[...path]/route.ts");
    const res = await call(mod[method]!, method, path);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toMatchObject({ status: 404, code: "not_found", retryable: false, error: expect.stringContaining(path) });
  });
});
