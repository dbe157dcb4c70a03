import "server-only";
import type { LiveHold } from "./live-hold";
import { turnErrorRecord } from "./turn-records";
import type { TurnStop } from "@/core/turn/turn-records";

/** A hold grows by at least this much at a time (fewer ledger transactions on long texts)… */
const GROW_STEP_MICROS = 5_000_000;
/** …and is refused when less than one batch of audio could still be paid for. */
const MIN_GROW_MICROS = 200_000;

export type TurnBudget = {
  /** What the turn may stream to begin with: the hold. */
  maxMicros: number;
  /** Room past the hold once speech reaches it: the new cap, or why the turn ends there. */
  extend: (neededMicros: number) => Promise<{ maxMicros: number } | TurnStop>;
  /** A reason to end the turn now: its hold could not be kept. */
  stopped: () => TurnStop | null;
};

/**
 * How far a turn may stream: its hold, grown while it streams when speech runs past the estimate,
 * as long as the balance and the key's spend limit allow, up to `limitMicros` (the longest turn).
 * What the user asked to be said is cut only when the money or the limit runs out, with that code.
 */
export function holdBudget(hold: LiveHold, limitMicros: number): TurnBudget {
  return {
    maxMicros: Math.min(hold.amountMicros, limitMicros),
    async extend(neededMicros) {
      const room = limitMicros - hold.amountMicros;
      if (neededMicros > limitMicros || room <= 0) {
        return { code: "turn_duration_limit", message: `The turn reached the longest it may last (${(limitMicros / 1e6).toFixed(0)} s) and was cut there; send shorter text or split it into several turns.`, retryable: false };
      }
      const want = Math.min(room, Math.max(GROW_STEP_MICROS, neededMicros - hold.amountMicros, Math.floor(hold.amountMicros / 2)));
      const refused = await hold.grow(want, Math.min(want, MIN_GROW_MICROS));
      if (!refused) return { maxMicros: Math.min(hold.amountMicros, limitMicros) };
      return refused.code === "conflict" ? lostStop : turnErrorRecord(refused);
    },
    stopped: () => (hold.lost.aborted ? lostStop : null),
  };
}

const lostStop: TurnStop = {
  code: "hold_lost",
  message: "The turn's credit hold could not be kept (it expired before the server renewed it, or the stream stayed unread too long), so the turn was ended; it is billed for the audio sent. Retry the rest.",
  retryable: true,
};
