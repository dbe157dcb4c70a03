export default function BillingPage() {
  return (
    <>
      <h1>Billing</h1>
      <div className="empty" data-testid="empty-state">Balances and ledger entries appear here.</div>
    </>
  );
}
