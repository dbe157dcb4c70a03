import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const pkg = resolve(__dirname, "..");
const tsc = resolve(pkg, "../../node_modules/typescript/bin/tsc");

// What a consumer of the published package writes; each @ts-expect-error proves a type is real
// (an unresolved import would make it `any`, and the unused directive would fail the check).
const CONSUMER = `import { readAvatarMux, AvatarPlayer, TicAvatarClient, createSessionRoute, createSessionMiddleware, type Avatar, type MuxRecord, type RealtimeTurnRequest } from "realtime-avatar";
// @ts-expect-error an avatar status is one of the contract's values
const status: Avatar["status"] = "nope";
declare const record: MuxRecord;
// @ts-expect-error a record kind is a string literal union (from core/mux, bundled into the SDK)
const kind: number = record.kind;
const turn: RealtimeTurnRequest = { avatar_id: "ava_1", mode: "speak_text", text: "Hi", render: "server" };
// The route adapters: the session is typed as the create body; the hooks see the caller's request.
export const POST: (request: Request) => Promise<Response> = createSessionRoute({
  apiKey: "tic_test_x",
  authorize: (req) => (req.headers.get("cookie") ? { user: "u1" } : null),
  session: (_req, auth) => ({ avatar_id: "ava_1", outputModality: "audio", metadata: { user: auth.user } }),
});
export const middleware = createSessionMiddleware({
  apiKey: "tic_test_x",
  authorize: (req: { method?: string; headers: Record<string, string | undefined> }) => req.headers.cookie ?? null,
  // @ts-expect-error the session names its avatar
  session: () => ({ outputModality: "audio" }),
});
export { readAvatarMux, AvatarPlayer, TicAvatarClient, status, kind, turn };
`;

describe("the built package (npm run build -w realtime-avatar)", () => {
  let consumer: string;

  beforeAll(() => {
    execFileSync(process.execPath, [join(pkg, "scripts/build.mjs")], { cwd: pkg, stdio: "pipe" });
    consumer = mkdtempSync(join(tmpdir(), "sdk-consumer-"));
    mkdirSync(join(consumer, "node_modules"));
    symlinkSync(pkg, join(consumer, "node_modules/realtime-avatar"), "dir");
    writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", type: "module", private: true }));
    writeFileSync(join(consumer, "a.ts"), CONSUMER);
  }, 120_000);
  afterAll(() => rmSync(consumer, { recursive: true, force: true }));

  it("imports by name and decodes a stream in Node (scripts/smoke.mjs)", () => {
    const out = execFileSync(process.execPath, [join(pkg, "scripts/smoke.mjs")], { cwd: pkg, encoding: "utf8" });
    expect(out).toContain("sdk smoke ok: header audio end");
  });

  it.each([
    ["nodenext", "nodenext"],
    ["bundler", "esnext"],
  ])("type-checks for a consumer on %s resolution", (moduleResolution, module) => {
    const options = { strict: true, noEmit: true, skipLibCheck: true, target: "es2022", lib: ["es2022", "dom"], types: [], module, moduleResolution };
    writeFileSync(join(consumer, "tsconfig.json"), JSON.stringify({ compilerOptions: options, files: ["a.ts"] }));
    const run = spawnSync(process.execPath, [tsc, "-p", join(consumer, "tsconfig.json")], { cwd: consumer, encoding: "utf8" });
    expect(run.stdout + run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
