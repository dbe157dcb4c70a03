import { ESLint } from "eslint";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "..");
const eslint = new ESLint({ cwd: root });

async function problems(file: string, code: string, ruleId = "boundaries/dependencies") {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, file) });
  const fatal = result!.messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(`lint could not parse ${file}: ${fatal[0]!.message}`);
  return result!.messages.filter((m) => m.ruleId === ruleId).map((m) => m.message);
}

describe("import boundaries (lint)", () => {
  it("keeps core/ pure", async () => {
    expect(await problems("core/x/a.ts", 'import { logger } from "@/server/logger";\nexport const a = logger;\n')).toHaveLength(1);
    expect(await problems("core/x/a.ts", 'import { a as b } from "../../packages/sdk/src/env";\nexport const a = b;\n')).toHaveLength(1);
    expect(await problems("core/x/a.ts", 'import { y } from "../ids/new-id";\nexport const a = y;\n')).toHaveLength(0);
    expect(await problems("core/x/a.ts", 'export { y } from "@/core/ids/new-id";\n')).toHaveLength(0);
    expect(await problems("core/x/a.ts", 'export { logger } from "@/server/logger";\n')).toHaveLength(1);
  });

  it("keeps workers/ away from app/ and server/", async () => {
    expect(await problems("workers/x/a.ts", 'import { y } from "../../server/env";\nexport const a = y;\n')).toHaveLength(1);
    expect(await problems("workers/x/a.ts", 'import { y } from "@/app/layout";\nexport const a = y;\n')).toHaveLength(1);
    expect(await problems("workers/x/a.ts", 'export const a = () => import("@/server/services/avatars");\n')).toHaveLength(1);
    expect(await problems("workers/x/a.ts", 'import { y } from "@/core/ids/new-id";\nexport const a = y;\n')).toHaveLength(0);
  });

  it("keeps client components away from server/, type-only imports excepted", async () => {
    const client = '"use client";\nimport { getDb } from "../server/db/client";\nexport const a = getDb;\n';
    expect(await problems("app/x.tsx", client)).toHaveLength(1);
    const typeOnly = '"use client";\nimport type { Db } from "@/server/db/client";\nexport const a: Db | null = null;\n';
    expect(await problems("app/x.tsx", typeOnly)).toHaveLength(0);
    const typeSpecifiers = '"use client";\nimport { type Db } from "@/server/db/client";\nexport const a: Db | null = null;\n';
    expect(await problems("app/x.tsx", typeSpecifiers)).toHaveLength(0);
    const serverComponent = 'import { getDb } from "@/server/db/client";\nexport const a = getDb;\n';
    expect(await problems("app/x.tsx", serverComponent)).toHaveLength(0);
  });

  // The two boundaries the hand-made rule lacked; they refuse type-only imports too.
  it.each([
    ["server/services/x.ts", 'import { apiRoute } from "@/server/http/api-route";\nexport const a = apiRoute;\n', 1],
    ["server/services/x/y.ts", 'import type { RouteSpec } from "../../http/route-table";\nexport type A = RouteSpec;\n', 1],
    // A test may drive a service through the REST edge, and the edge may of course call services.
    ["server/services/x.int.test.ts", 'import { callRoute } from "@/server/http/testing/test-api";\nexport const a = callRoute;\n', 0],
    ["server/http/x.ts", 'import { getDb } from "@/server/services/avatars";\nexport const a = getDb;\n', 0],
    ["app/(platform)/platform/x.tsx", '"use client";\nimport { y } from "@/app/demo/mic-recorder";\nexport const a = y;\n', 1],
    ["app/(platform)/platform/x.tsx", 'import type { Y } from "../../demo/mic-recorder";\nexport type A = Y;\n', 1],
    // One-way: the demo may use a piece the dashboard owns.
    ["app/demo/x.tsx", 'import { y } from "@/app/(platform)/platform/layout";\nexport const a = y;\n', 0],
  ] as const)("services → http and dashboard → demo: %s (case %#)", async (file, code, count) => {
    expect(await problems(file, code)).toHaveLength(count);
  });
});

describe("drizzle writes need a where (lint)", () => {
  const code = (stmt: string) => `import { avatars } from "@/server/db/schema";\nexport async function f(db: any, tx: any, id: string) {\n  ${stmt}\n}\n`;

  it("refuses an update or delete of a whole table on db or tx", async () => {
    expect(await problems("server/x.ts", code("await db.update(avatars).set({ status: 'ready' });"), "drizzle/enforce-update-with-where")).toHaveLength(1);
    expect(await problems("server/x.ts", code("await tx.delete(avatars);"), "drizzle/enforce-delete-with-where")).toHaveLength(1);
    expect(await problems("server/x.ts", code("await tx.update(avatars).set({ status: 'ready' }).where(id);"), "drizzle/enforce-update-with-where")).toHaveLength(0);
    expect(await problems("server/x.ts", code("await db.delete(avatars).where(id);"), "drizzle/enforce-delete-with-where")).toHaveLength(0);
  });

  it("leaves other objects' update and delete alone (maps, hashes)", async () => {
    expect(await problems("server/x.ts", code("new Map().delete(id);"), "drizzle/enforce-delete-with-where")).toHaveLength(0);
  });
});
