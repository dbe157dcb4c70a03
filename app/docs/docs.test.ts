import { describe, expect, it } from "vitest";
import { GET as docs } from "./route";
import { GET as bundle } from "./scalar.js/route";
import { GET as openapi } from "../openapi.json/route";

describe("/docs and /openapi.json", () => {
  it("serves the extended contract", async () => {
    const doc = await openapi().json();
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.paths["/api/v1/usage"].get.operationId).toBe("listUsage");
  });

  it("renders the reference with Scalar from our own origin, pointed at /openapi.json", async () => {
    const html = await docs().text();
    expect(html).toContain('src="/docs/scalar.js"');
    expect(html).toContain("/openapi.json");
    expect(html).not.toContain("cdn.jsdelivr.net");
    const js = await bundle();
    expect(js.headers.get("content-type")).toContain("javascript");
    expect((await js.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });
});
