import { checkHealth } from "@/server/services/health";

export const dynamic = "force-dynamic";

/** Liveness and database check: 200 when the database answers, 503 when it does not. */
export async function GET() {
  const report = await checkHealth();
  return Response.json(report, { status: report.status === "ok" ? 200 : 503, headers: { "cache-control": "no-store" } });
}
