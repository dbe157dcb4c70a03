import { FailedJobs } from "./failed-jobs";
import { UsageChart } from "./usage-chart";

export const dynamic = "force-dynamic";

export default function UsagePage() {
  return (
    <>
      <h1>Usage</h1>
      <p className="muted">Rendered realtime seconds per UTC day (settled turns and lipsync jobs).</p>
      <UsageChart />
      <FailedJobs />
    </>
  );
}
