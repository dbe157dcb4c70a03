import { toApiErrorBody } from "@/server/http/api-error";
import { metricsRefusal } from "@/server/http/metrics-access";
import { collectMetrics, prometheusText } from "@/server/services/metrics";

export const dynamic = "force-dynamic";

/** Operator metrics: JSON by default; the Prometheus text format for `Accept: text/plain` or `?format=prometheus`. */
export async function GET(request: Request) {
  const headers = { "cache-control": "no-store" };
  const refusal = metricsRefusal(request.headers);
  if (refusal) {
    const { body } = toApiErrorBody(refusal);
    return Response.json(body, { status: body.status, headers });
  }
  const metrics = await collectMetrics();
  const wantsText = new URL(request.url).searchParams.get("format") === "prometheus" || /\btext\/plain\b/.test(request.headers.get("accept") ?? "");
  if (wantsText) return new Response(prometheusText(metrics), { headers: { ...headers, "content-type": "text/plain; version=0.0.4; charset=utf-8" } });
  return Response.json(metrics, { headers });
}
