import "server-only";
import { freemem, loadavg, totalmem } from "node:os";
import { count, eq, sql } from "drizzle-orm";
import { getDb } from "../db/client";
import { realtimeSessions } from "../db/schema";
import { QUEUE_SCHEMA } from "../jobs/queue";
import { logger } from "../logger";
import { openSessionCount } from "./live-sessions/socket/registry";

// GET /metrics (seed 002's utility endpoint): what an operator watches — this process's CPU and
// memory, the live sessions it holds and the platform's, the job queue. Platform-wide figures, so not
// for customers: who may read them is server/http/metrics-access.ts. Only measured figures: no
// latency average is kept, so none is reported.

export type Metrics = {
  uptime_s: number;
  process: { cpu_percent: number; rss_bytes: number; heap_used_bytes: number; memory_percent: number; load_average_1m: number };
  sessions: { open_in_process: number; active: number | null; total: number | null };
  jobs: Record<string, number> | null;
};

let lastCpu = { at: performance.now(), usage: process.cpuUsage() };

/** CPU of this process since the previous call (or its start), as a share of one core in percent. */
function cpuPercent(): number {
  const now = performance.now();
  const usage = process.cpuUsage();
  const elapsedUs = (now - lastCpu.at) * 1000;
  const usedUs = usage.user - lastCpu.usage.user + (usage.system - lastCpu.usage.system);
  lastCpu = { at: now, usage };
  return elapsedUs > 0 ? Math.round((usedUs / elapsedUs) * 1000) / 10 : 0;
}

export async function collectMetrics(): Promise<Metrics> {
  const mem = process.memoryUsage();
  const out: Metrics = {
    uptime_s: Math.round(process.uptime()),
    process: {
      cpu_percent: cpuPercent(),
      rss_bytes: mem.rss,
      heap_used_bytes: mem.heapUsed,
      memory_percent: Math.round(((totalmem() - freemem()) / totalmem()) * 1000) / 10,
      load_average_1m: Math.round(loadavg()[0]! * 100) / 100,
    },
    sessions: { open_in_process: openSessionCount(), active: null, total: null },
    jobs: null,
  };
  try {
    const db = await getDb();
    const [active] = await db.select({ n: count() }).from(realtimeSessions).where(eq(realtimeSessions.status, "connected"));
    const [total] = await db.select({ n: count() }).from(realtimeSessions);
    out.sessions.active = Number(active?.n ?? 0);
    out.sessions.total = Number(total?.n ?? 0);
    out.jobs = await jobCounts(db);
  } catch (err) {
    // The process figures still help when the database is what is wrong.
    logger.warn({ err }, "metrics: database figures unavailable");
  }
  return out;
}

/** Live jobs by state; empty before the queue's schema exists (no job was ever sent). */
async function jobCounts(db: Awaited<ReturnType<typeof getDb>>): Promise<Record<string, number>> {
  const exists = await db.execute(sql`select 1 from information_schema.tables where table_schema = ${QUEUE_SCHEMA} and table_name = 'job'`);
  const rowsOf = <T>(r: unknown) => ((r as { rows?: T[] }).rows ?? (r as T[])) as T[];
  if (rowsOf(exists).length === 0) return {};
  const result = await db.execute(sql`select state::text as state, count(*)::int as n from ${sql.raw(QUEUE_SCHEMA)}.job group by state`);
  return Object.fromEntries(rowsOf<{ state: string; n: number }>(result).map((r) => [r.state, Number(r.n)]));
}

/** The Prometheus text exposition of the same figures. */
export function prometheusText(m: Metrics): string {
  const lines: string[] = [];
  const metric = (name: string, help: string, type: "gauge" | "counter", samples: [labels: string, value: number | null][]) => {
    const present = samples.filter(([, v]) => v !== null);
    if (!present.length) return;
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of present) lines.push(`${name}${labels} ${value}`);
  };
  metric("tic_uptime_seconds", "Seconds since this process started.", "gauge", [["", m.uptime_s]]);
  metric("tic_process_cpu_percent", "CPU of this process since the previous scrape, percent of one core.", "gauge", [["", m.process.cpu_percent]]);
  metric("tic_process_resident_memory_bytes", "Resident memory of this process.", "gauge", [["", m.process.rss_bytes]]);
  metric("tic_process_heap_used_bytes", "V8 heap in use.", "gauge", [["", m.process.heap_used_bytes]]);
  metric("tic_machine_memory_used_percent", "Memory in use on the machine.", "gauge", [["", m.process.memory_percent]]);
  metric("tic_live_sessions_open_in_process", "Live sessions whose socket this process holds.", "gauge", [["", m.sessions.open_in_process]]);
  metric("tic_live_sessions_active", "Connected live sessions on every instance.", "gauge", [["", m.sessions.active]]);
  metric("tic_live_sessions_total", "Live sessions ever created.", "counter", [["", m.sessions.total]]);
  metric("tic_jobs", "Jobs in the queue by state.", "gauge", Object.entries(m.jobs ?? {}).map(([state, n]) => [`{state="${state}"}`, n]));
  return `${lines.join("\n")}\n`;
}
