// Child process for the sweeper test: reserves credits, records `progressMicros` of usage on each
// hold as a streaming turn's heartbeat does, reports the reservation ids on stdout, then hangs until
// the parent SIGKILLs it — a server that died mid-turn without settling or voiding.
import { openDatabase } from "../../../db/client";
import { renewReservation } from "../hold-lifetime";
import { reserveCredits } from "../ledger";

const [url, tenantId, count, ttlMs, progressMicros] = process.argv.slice(2);
const handle = await openDatabase(url, { migrate: false });
for (let i = 0; i < Number(count); i++) {
  const r = await reserveCredits(handle.db, { tenantId: tenantId!, environment: "live", amountMicros: 1_000_000, purpose: "realtime_turn", ttlMs: Number(ttlMs) });
  await renewReservation(handle.db, { tenantId: tenantId!, reservationId: r.id, ttlMs: Number(ttlMs), progressMicros: Number(progressMicros ?? 0) });
  process.stdout.write(`reserved ${r.id}\n`);
}
process.stdout.write("ready\n");
setInterval(() => undefined, 60_000);
