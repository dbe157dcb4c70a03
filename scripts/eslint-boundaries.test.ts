import { ESLint } from "eslint";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(__dirname, "..");
const eslint = new ESLint({ cwd: root });

async function problems(file: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, file) });
  return result!.messages.filter((m) => m.ruleId === "boundaries/layers").map((m) => m.message);
}

describe("import boundaries (lint)", () => {
  it("keeps core/ pure", async () => {
    expect(await problems("core/x/a.ts", 'import { logger } from "@/server/logger";\nexport const a = logger;\n')).toHaveLength(1);
    expect(await problems("core/x/a.ts", 'import { y } from "../ids/new-id";\nexport const a = y;\n')).toHaveLength(0);
  });

  it("keeps workers/ away from app/ and server/", async () => {
    expect(await problems("workers/x/a.ts", 'import { y } from "../../server/env";\nexport const a = y;\n')).toHaveLength(1);
    expect(await problems("workers/x/a.ts", 'import { y } from "@/app/layout";\nexport const a = y;\n')).toHaveLength(1);
    expect(await problems("workers/x/a.ts", 'import { y } from "@/core/ids/new-id";\nexport const a = y;\n')).toHaveLength(0);
  });

  it("keeps client components away from server/, type-only imports excepted", async () => {
    const client = '"use client";\nimport { getDb } from "../server/db/client";\nexport const a = getDb;\n';
    expect(await problems("app/x.tsx", client)).toHaveLength(1);
    const typeOnly = '"use client";\nimport type { Db } from "@/server/db/client";\nexport const a: Db | null = null;\n';
    expect(await problems("app/x.tsx", typeOnly)).toHaveLength(0);
    const serverComponent = 'import { getDb } from "@/server/db/client";\nexport const a = getDb;\n';
    expect(await problems("app/x.tsx", serverComponent)).toHaveLength(0);
  });
});
