// Durable jobs on the embedded database: this process owns the PGlite folder and shares it; the
// workers and the admin CLI reach it over the PostgreSQL wire protocol (server/db/pglite-share.ts).
import { vi } from "vitest";
import { jobsSuite } from "./testing/jobs-suite";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

jobsSuite("pglite");
