// Durable jobs on PostgreSQL: this process (the API) and every worker on one fresh database.
import { vi } from "vitest";
import { jobsSuite } from "./testing/jobs-suite";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

jobsSuite("postgres");
