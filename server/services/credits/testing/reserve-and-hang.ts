// Child process for the sweeper test: reserves credits, reports the reservation id on stdout, then
// hangs until the parent SIGKILLs it — a server that died mid-turn without settling or voiding.
import { openDatabase } from "../../../db/client";
import { reserveCredits } from "../ledger";

const [url, tenantId, count, ttlMs] = process.argv.slice(2);
const handle = await openDatabase(url, { migrate: false });
for (let i = 0; i < Number(count); i++) {
  const r = await reserveCredits(handle.db, { tenantId: tenantId!, environment: "live", amountMicros: 1_000_000, purpose: "turn", ttlMs: Number(ttlMs) });
  process.stdout.write(`reserved ${r.id}\n`);
}
process.stdout.write("ready\n");
setInterval(() => undefined, 60_000);
