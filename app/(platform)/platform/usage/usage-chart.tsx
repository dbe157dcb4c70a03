"use client";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage, useTRPC } from "../../../_trpc/client";

const W = 720;
const H = 220;
const PAD = 32;

export function UsageChart() {
  const trpc = useTRPC();
  const [environment, setEnvironment] = useState<"live" | "test">("live");
  const [days, setDays] = useState(30);
  const usage = useQuery(trpc.usage.byDay.queryOptions({ environment, days }));

  const data = usage.data ?? [];
  const seconds = data.map((d) => d.renderedMs / 1000);
  const max = Math.max(1, ...seconds);
  const barW = data.length ? (W - PAD * 2) / data.length : 0;
  const total = seconds.reduce((a, b) => a + b, 0);

  return (
    <div className="card">
      <div className="row" style={{ justifyContent: "space-between" }}>
        <div className="row">
          {(["live", "test"] as const).map((env) => (
            <button key={env} type="button" aria-pressed={environment === env} onClick={() => setEnvironment(env)}>{env}</button>
          ))}
        </div>
        <select value={days} onChange={(e) => setDays(Number(e.target.value))} style={{ width: "auto" }} aria-label="Period">
          <option value={7}>7 days</option>
          <option value={30}>30 days</option>
          <option value={90}>90 days</option>
        </select>
      </div>
      {usage.error && <p className="error">{errorMessage(usage.error)}</p>}
      <p className="muted" data-testid="usage-total">{total.toLocaleString(undefined, { maximumFractionDigits: 1 })} s in the last {days} days</p>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={`Seconds per day, ${environment}`} data-testid="usage-chart">
        <line x1={PAD} y1={H - PAD} x2={W - PAD} y2={H - PAD} stroke="var(--line)" />
        <text x={PAD} y={PAD - 10} fill="var(--muted)" fontSize="11">{max.toFixed(max < 10 ? 1 : 0)} s</text>
        {data.map((d, i) => {
          const h = ((d.renderedMs / 1000) / max) * (H - PAD * 2);
          return (
            <g key={d.day}>
              <rect x={PAD + i * barW + 1} y={H - PAD - h} width={Math.max(1, barW - 2)} height={h} rx={2} fill="var(--accent)">
                <title>{`${d.day}: ${(d.renderedMs / 1000).toFixed(1)} s, ${d.events} events`}</title>
              </rect>
              {(i === 0 || i === data.length - 1) && (
                <text x={PAD + i * barW + barW / 2} y={H - PAD + 16} fill="var(--muted)" fontSize="11" textAnchor="middle">{d.day.slice(5)}</text>
              )}
            </g>
          );
        })}
      </svg>
    </div>
  );
}
