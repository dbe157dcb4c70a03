import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../testing/run-cli";

// Two commands at once with no server running: each opens the folder in turn (a lock), never both.

const dataDir = mkdtempSync(join(tmpdir(), "tic-pair-"));
const env = { DATA_DIR: dataDir, PGLITE_DATA_DIR: join(dataDir, "pglite") };

describe("two tic-avatar admin commands at once", () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("both run and both writes are kept", async () => {
    const runs = await Promise.all(
      ["One", "Two"].map((name) => runCli(["admin", "create-tenant", "--name", `${name} Co`, "--owner", `${name.toLowerCase()}@example.test`], { env })),
    );
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const listed = await runCli(["admin", "list-tenants"], { env });
    expect(listed.code, listed.stderr).toBe(0);
    const names = listed.stdout.trim().split("\n").map((line) => (JSON.parse(line) as { name: string }).name);
    expect(names.sort()).toEqual(["One Co", "Two Co"]);
  });
});
