// Help as a new user asks for it: the command list, and each command's own usage with --help/-h.
import { describe, expect, it } from "vitest";
import { runCli } from "./testing/run-cli";

describe("tic-avatar help", () => {
  it("lists the commands on --help, exit 0", async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: tic-avatar <command>/);
    expect(r.stdout).toMatch(/\n {2}admin +Operator tasks/);
  });

  it.each([
    ["admin", "--help", /list-tenants/],
    ["lipsync", "-h", /--portrait/],
    ["visemes", "--help", /--format/],
  ])("prints %s's usage on stdout for %s, exit 0, without touching a database or a file", async (name, flag, shows) => {
    const r = await runCli([name, flag]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: /);
    expect(r.stdout).toMatch(shows);
    expect(r.stderr).toBe("");
  });

  it("names an unknown command and points to --help, exit 2", async () => {
    const r = await runCli(["admn"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command "admn"\. Run "tic-avatar --help"/);
  });
});
