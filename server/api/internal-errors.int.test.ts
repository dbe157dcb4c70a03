// An unexpected failure inside a procedure reaches the browser as a generic message: the error's own text
// (a failed query quotes its SQL and parameters) is only logged.
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";
import { captureLogs } from "../testing/capture-logs";
import { pgliteTestDb } from "../testing/databases";
import { signUp } from "../services/users";
import { appRouter } from "./root";

process.env.AUTH_SECRET ??= "test-secret-test-secret-test-secret";

describe("tRPC internal errors", () => {
  it("answers a generic message and logs the real one", async () => {
    const t = await pgliteTestDb();
    const owner = await signUp(t.db, { name: "Olga", email: "olga@example.com", password: "olga-password-1" });
    await t.close(); // every query now fails inside the procedure
    const logs = captureLogs();
    let body: { error: { json: { message: string; data: { code: string } } } };
    try {
      const res = await fetchRequestHandler({
        endpoint: "/api/trpc",
        req: new Request("http://localhost/api/trpc/tenants.list"),
        router: appRouter,
        createContext: ({ resHeaders }) => ({ db: t.db, user: { ...owner.user, name: null }, headers: new Headers(), resHeaders }),
      });
      expect(res.status).toBe(500);
      body = await res.json();
    } finally {
      logs.stop();
    }
    expect(body.error.json.data.code).toBe("INTERNAL_SERVER_ERROR");
    expect(body.error.json.message).toBe("Something went wrong on our side; it has been logged. Try again in a moment.");
    const logged = logs.lines.find((l) => l.msg === "trpc procedure failed") as { err: { message: string } } | undefined;
    expect(logged?.err.message).toMatch(/closed/i);
  });
});
