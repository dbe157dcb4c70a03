import { BillingPanel } from "./billing-panel";

export const dynamic = "force-dynamic";

export default function BillingPage() {
  return (
    <>
      <h1>Billing</h1>
      <p className="muted">1 realtime second of avatar output = 1,000,000 credit micros. Turns reserve an estimate and settle to actual use.</p>
      <BillingPanel />
    </>
  );
}
