// Failed queries are logged without the customer values they carried: not the parameters, not the row
// values PostgreSQL quotes back in its messages and details, on either driver.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { users } from "./db/schema";
import { logger } from "./logger";
import { captureLogs } from "./testing/capture-logs";
import { TEST_DATABASES, type TestDatabase } from "./testing/databases";

const MARK = "customer-value-5d0e";

describe.each(TEST_DATABASES)("query errors in the log on %s", (_name, open) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await open();
  });
  afterAll(() => t?.close());

  async function logged(query: () => Promise<unknown>) {
    const error = await query().then(
      () => {
        throw new Error("the query was expected to fail");
      },
      (e: unknown) => e,
    );
    const logs = captureLogs();
    try {
      logger.error({ err: error }, "unhandled error in API handler");
    } finally {
      logs.stop();
    }
    return logs.raw();
  }

  it.each([
    ["a NUL in a parameter", () => t.db.insert(users).values({ id: "usr_nul", email: "nul@example.com", name: `a\u0000${MARK}` }), /22021/],
    ["a duplicate key (the detail quotes the row)", async () => {
      await t.db.insert(users).values({ id: "usr_dup1", email: `${MARK}@example.com`, name: "x" });
      await t.db.insert(users).values({ id: "usr_dup2", email: `${MARK}@example.com`, name: "y" });
    }, /23505/],
    ["a value of the wrong type (the message quotes it)", () => t.db.execute(sql`select ${MARK}::integer`), /22P02/],
    ["a NUL inside JSON (the context quotes it)", () => t.db.execute(sql`select ${JSON.stringify({ k: `a\u0000${MARK}` })}::jsonb`), /22P05/],
  ] as const)("%s: keeps the query and code, drops the values", async (_, query, code) => {
    const raw = await logged(query);
    expect(raw).toMatch(code);
    expect(raw).toMatch(/Failed query: (insert|select)/);
    expect(raw).not.toContain(MARK);
  });
});
