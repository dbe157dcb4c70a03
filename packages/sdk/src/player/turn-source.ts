import type { MuxSource } from "../../../../core/mux";
import { readAvatarMux, type AvatarMuxEvent } from "../read-avatar-mux";

/** Response header of a turn: how far ahead of real time the server sends (see docs/realtime-turns.md). */
export const PLAYOUT_DELAY_HEADER = "X-Playout-Delay-Ms";

export interface TurnSource {
  events: AsyncGenerator<AvatarMuxEvent, void, undefined>;
  /** The server's playout delay for this turn, when the source is a Response that states one. */
  playoutDelayMs: number | null;
}

/** Opens a turn's stream for reading, with what its transport says about playing it. */
export function openTurn(source: MuxSource | Response): TurnSource {
  return { events: readAvatarMux(source), playoutDelayMs: isResponse(source) ? headerDelay(source.headers.get(PLAYOUT_DELAY_HEADER)) : null };
}

function headerDelay(value: string | null): number | null {
  // A header mangled on the way (a proxy, a hand-written server) is ignored, not trusted.
  if (value === null || !/^\s*\d+\s*$/.test(value)) return null;
  return Number(value);
}

function isResponse(source: MuxSource | Response): source is Response {
  return typeof Response !== "undefined" && source instanceof Response;
}
