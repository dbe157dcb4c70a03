import "server-only";
import type { Logger } from "pino";
import type { Db } from "@/server/db/client";
import type { UsageKind } from "@/server/db/schema";
import { getEnv } from "@/server/env";
import { AppError } from "@/server/errors";
import { growReservation, renewReservation } from "../credits/hold-lifetime";
import { reserveCredits, settleReservation, voidReservation, type Environment } from "../credits/ledger";
import type { UsageInput } from "../credits/ledger-postings";

/**
 * Renewals stop after this: work still open then (a response dropped without being read or
 * cancelled, a client that stopped reading for good) is ended and billed for what it delivered,
 * so no hold is kept alive forever by a heartbeat alone.
 */
export const MAX_HOLD_LIFE_MS = 30 * 60 * 1000;

export type HoldOwner = { tenantId: string; environment: Environment; apiKeyId: string | null; log: Logger };
/** What to hold: micros, what for (the ledger's purpose), and the lease (default RESERVATION_LEASE_MS). */
export type HoldInput = { amountMicros: number; purpose: UsageKind; leaseMs?: number };

/**
 * A credit hold kept alive while its work runs, however slowly the client reads: reserved for a
 * short lease (RESERVATION_LEASE_MS) and renewed every third of it with the usage delivered so far,
 * so the sweeper never expires a live turn, and a process that dies is released one lease later and
 * billed what it had delivered. `lost` fires when the hold can no longer be kept — a renewal found it
 * already expired (the process stalled past the lease), or it reached MAX_HOLD_LIFE_MS: the work
 * must stop; closing still bills what was delivered.
 */
export class LiveHold {
  private closed = false;
  private renewing: Promise<void> | null = null;
  private deliveredMicros = 0;
  private expiresAt: number;
  private readonly diesAt = Date.now() + MAX_HOLD_LIFE_MS;
  private readonly timer: NodeJS.Timeout;
  private readonly lostController = new AbortController();

  private constructor(
    private readonly db: Db,
    private readonly owner: HoldOwner,
    readonly id: string,
    private amount: number,
    expiresAt: Date,
    private readonly leaseMs: number,
  ) {
    this.expiresAt = expiresAt.getTime();
    this.timer = setInterval(() => void this.renew(), Math.max(100, Math.floor(leaseMs / 3)));
    this.timer.unref();
  }

  /**
   * The one way billed work starts (turns, lipsync, live sessions): unless the client has already
   * left (`signal`), reserves `amountMicros` and runs `start` with the hold. Should `start` fail,
   * nothing is billed: the hold is voided and the error rethrown. Once it succeeds the hold is the
   * caller's, to `close` with what was used — at once (a stored video) or when a stream ends.
   */
  static async begin<T>(db: Db, owner: HoldOwner, input: HoldInput & { signal?: AbortSignal }, start: (hold: LiveHold) => Promise<T>): Promise<[LiveHold, T]> {
    input.signal?.throwIfAborted();
    const hold = await LiveHold.reserve(db, owner, input);
    try {
      return [hold, await start(hold)];
    } catch (error) {
      await hold.close(0).catch((err: unknown) => owner.log.error({ err, reservationId: hold.id, purpose: input.purpose }, "could not void a reservation"));
      throw error;
    }
  }

  /** Reserves `amountMicros` (402 when refused: nothing is held) and starts the heartbeat. */
  static async reserve(db: Db, owner: HoldOwner, input: HoldInput): Promise<LiveHold> {
    const leaseMs = input.leaseMs ?? getEnv().RESERVATION_LEASE_MS;
    const r = await reserveCredits(db, { tenantId: owner.tenantId, environment: owner.environment, amountMicros: input.amountMicros, apiKeyId: owner.apiKeyId, purpose: input.purpose, ttlMs: leaseMs });
    return new LiveHold(db, owner, r.id, r.amountMicros, r.expiresAt, leaseMs);
  }

  /** Micros held now (grows with `grow`). */
  get amountMicros(): number {
    return this.amount;
  }

  /** Aborts when the hold can no longer be kept. */
  get lost(): AbortSignal {
    return this.lostController.signal;
  }

  /** What the client has been given so far; the next heartbeat records it, so a crash still bills it. */
  delivered(micros: number): void {
    this.deliveredMicros = Math.max(this.deliveredMicros, Math.min(this.amount, Math.floor(micros)));
  }

  /**
   * Holds up to `byMicros` more (at least `minMicros`) as far as the balance and the key's spend
   * limit allow. Answers null when it grew, else the error that refused it (402 codes, or 409 when
   * the hold is gone).
   */
  async grow(byMicros: number, minMicros: number): Promise<AppError | null> {
    if (this.closed) return new AppError("conflict", "The hold is closed.");
    try {
      const grown = await growReservation(this.db, { tenantId: this.owner.tenantId, reservationId: this.id, byMicros, minMicros, ttlMs: this.leaseMs });
      this.amount = grown.amountMicros;
      this.expiresAt = Date.now() + this.leaseMs;
      return null;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === "conflict") this.markLost("it is no longer pending");
      return error;
    }
  }

  /**
   * Bills `usedMicros` (settle; nothing used: void) and stops the heartbeat. Exactly once: later calls
   * do nothing. `via` settles inside the caller's transaction (a charge claimed with it).
   */
  async close(usedMicros: number, usage?: UsageInput, via: Db = this.db): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    await this.renewing;
    const ref = { tenantId: this.owner.tenantId, reservationId: this.id };
    if (usedMicros <= 0) {
      await voidReservation(via, ref);
      return;
    }
    const settled = await settleReservation(via, { ...ref, actualMicros: Math.min(this.amount, Math.floor(usedMicros)), usage });
    if (settled.shortfallMicros > 0) {
      this.owner.log.error({ reservationId: this.id, shortfallMicros: settled.shortfallMicros }, "usage past an expired hold could not be debited in full");
    }
  }

  private renew(): Promise<void> {
    if (this.closed || this.renewing) return this.renewing ?? Promise.resolve();
    if (Date.now() >= this.diesAt) {
      this.markLost("it reached the longest a hold may be renewed");
      return Promise.resolve();
    }
    this.renewing = (async () => {
      try {
        const kept = await renewReservation(this.db, { tenantId: this.owner.tenantId, reservationId: this.id, ttlMs: this.leaseMs, progressMicros: this.deliveredMicros });
        if (kept) this.expiresAt = Date.now() + this.leaseMs;
        else if (!this.closed) this.markLost("the sweeper expired it before it could be renewed");
      } catch (err) {
        // A failed renewal is retried at the next beat; the hold is lost only once its lease ran out.
        this.owner.log.warn({ err, reservationId: this.id }, "could not renew a credit hold");
        if (Date.now() >= this.expiresAt) this.markLost("its lease ran out while renewals failed");
      } finally {
        this.renewing = null;
      }
    })();
    return this.renewing;
  }

  private markLost(why: string) {
    if (this.closed || this.lostController.signal.aborted) return;
    clearInterval(this.timer);
    this.owner.log.warn({ reservationId: this.id, why }, "a live credit hold can no longer be kept; ending its work");
    this.lostController.abort(new AppError("conflict", `The credit hold of this work can no longer be kept: ${why}.`));
  }
}
