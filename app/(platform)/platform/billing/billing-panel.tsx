"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage, useTRPC } from "../../../_trpc/client";

const fmt = (micros: number) => `${(micros / 1e6).toLocaleString(undefined, { maximumFractionDigits: 1 })} s`;

export function BillingPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const overview = useQuery(trpc.billing.overview.queryOptions());
  const [environment, setEnvironment] = useState<"test" | "live" | undefined>(undefined);
  const ledger = useQuery(trpc.billing.ledger.queryOptions({ environment, limit: 50 }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.billing.pathKey() });
  const grant = useMutation(trpc.billing.grantSandbox.mutationOptions({ onSuccess: refresh }));
  const checkout = useMutation(trpc.billing.checkout.mutationOptions({ onSuccess: ({ url }) => window.location.assign(url) }));
  const [minutes, setMinutes] = useState(30);
  const [error, setError] = useState<string | null>(null);

  if (overview.isLoading) return <p className="muted">Loading…</p>;
  if (overview.error || !overview.data) return <p className="error">{errorMessage(overview.error)}</p>;
  const o = overview.data;

  return (
    <>
      <div className="grid" data-testid="balances">
        {o.balances.map((b) => (
          <div className="card" key={b.environment} data-testid={`balance-${b.environment}`}>
            <h2>{b.environment === "test" ? "Sandbox (test keys)" : "Live"}</h2>
            <p style={{ fontSize: "1.6rem", margin: 0 }}>{fmt(b.availableCreditMicros)}</p>
            <p className="muted">available · {fmt(b.reservedCreditMicros)} reserved · {fmt(b.lifetimeUsedCreditMicros)} used of {fmt(b.lifetimeGrantedCreditMicros)} granted</p>
          </div>
        ))}
      </div>

      <h2>Top up</h2>
      <div className="card">
        {o.stripeEnabled ? (
          <div className="row" data-testid="stripe-packs">
            {o.packsMinutes.map((m) => (
              <button key={m} type="button" className="primary" disabled={checkout.isPending} onClick={() => checkout.mutateAsync({ minutes: m }).catch((e: unknown) => setError(errorMessage(e)))}>
                Buy {m} live minutes
              </button>
            ))}
          </div>
        ) : (
          <p className="muted">Payments are not configured on this server, so live credit cannot be bought here.</p>
        )}
        {o.canGrantSandbox && (
          <form
            className="row"
            data-testid="sandbox-grant-form"
            onSubmit={(e) => {
              e.preventDefault();
              setError(null);
              grant.mutateAsync({ minutes }).catch((err: unknown) => setError(errorMessage(err)));
            }}
          >
            <label htmlFor="sandbox-minutes" style={{ margin: 0 }}>Add sandbox minutes</label>
            <input id="sandbox-minutes" type="number" min={1} max={o.sandboxTopUpMinutesRemaining} value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} style={{ width: 120 }} />
            <button type="submit" disabled={grant.isPending || o.sandboxTopUpMinutesRemaining === 0}>Grant</button>
            <span className="muted" data-testid="sandbox-remaining">{o.sandboxTopUpMinutesRemaining} of {o.maxSandboxGrantMinutes} free minutes left</span>
          </form>
        )}
        {error && <p className="error" role="alert">{error}</p>}
      </div>

      <h2>Ledger</h2>
      <div className="row" style={{ marginBottom: ".6rem" }}>
        {([undefined, "test", "live"] as const).map((env) => (
          <button key={env ?? "all"} type="button" aria-pressed={environment === env} onClick={() => setEnvironment(env)}>
            {env ?? "all"}
          </button>
        ))}
      </div>
      {ledger.data && ledger.data.length === 0 && <div className="empty">No ledger entries yet.</div>}
      {ledger.data && ledger.data.length > 0 && (
        <table data-testid="ledger-table">
          <thead><tr><th>When</th><th>Env</th><th>Kind</th><th>Amount</th><th>Reason / reservation</th></tr></thead>
          <tbody>
            {ledger.data.map((e) => (
              <tr key={e.id}>
                <td>{e.createdAt.replace("T", " ").slice(0, 19)}</td>
                <td>{e.environment}</td>
                <td>{e.kind}</td>
                <td>{fmt(e.amountMicros)}</td>
                <td className="muted">{e.reason ?? e.reservationId ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
