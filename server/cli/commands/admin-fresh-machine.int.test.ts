import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../testing/run-cli";

// A new user runs `npx tic-avatar admin …` with nothing configured: no AUTH_SECRET in the
// environment (serve generates one for the web server; admin commands sign no sessions).

describe("tic-avatar admin on a fresh machine", () => {
  it("runs without AUTH_SECRET", async () => {
    const fresh = mkdtempSync(join(tmpdir(), "tic-fresh-"));
    try {
      const run = await runCli(["admin", "list-tenants"], { env: { DATA_DIR: fresh, PGLITE_DATA_DIR: join(fresh, "pglite") } });
      expect(run.stderr).not.toMatch(/AUTH_SECRET/);
      expect(run.code).toBe(0);
    } finally {
      rmSync(fresh, { recursive: true, force: true });
    }
  });
});
