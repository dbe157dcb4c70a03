import { MuxReader, type HeaderRecord, type MuxRecord } from "../../../../core/mux";
import { TurnQueue } from "./turn-queue";

/** One response of the session as a turn the AvatarPlayer plays: the header, then its records. */
export interface SessionTurn {
  responseId: string | null;
  events: AsyncIterable<MuxRecord>;
}

/**
 * Cuts a session's single avatar-mux stream (header once, then records, one audio clock across every
 * response: docs/realtime-sessions.md) into one turn per response, each on its own clock from 0, so
 * the player schedules each answer from its own playout delay — the silence between answers is not
 * on the stream clock, and audio dropped at an interruption must not leave a gap before the next.
 * Boundaries come from the JSON events on the same socket (`response.created`, `.done`,
 * `.interrupted`), which arrive in order with the binary frames.
 */
export class SessionDemux {
  private readonly reader = new MuxReader();
  private header: HeaderRecord | null = null;
  private turn: TurnQueue<MuxRecord> | null = null;
  private responseId: string | null = null;
  /** The stream clock where the open turn starts (samples). */
  private base = 0;
  /** The stream clock: end of the last audio record. */
  private clock = 0;

  constructor(private readonly onTurn: (turn: SessionTurn) => void) {}

  /** The session's mux header, once it arrived. */
  get streamHeader(): HeaderRecord | null {
    return this.header;
  }

  /** Bytes of one binary frame (records may span frames). Throws MuxError on a corrupt stream. */
  push(bytes: Uint8Array): void {
    for (const rec of this.reader.push(bytes)) this.route(rec);
  }

  /** A new response begins: what follows is its turn. */
  begin(responseId: string): void {
    this.finish();
    this.responseId = responseId;
  }

  /** The open response is over (done or interrupted): its turn ends with what arrived. */
  finish(): void {
    this.turn?.close();
    this.turn = null;
    this.responseId = null;
  }

  private route(rec: MuxRecord): void {
    if (rec.kind === "header") {
      this.header = rec;
      return;
    }
    if (rec.kind === "ancillary" || !this.header) return;
    if (rec.kind === "end") {
      this.turn?.push({ ...rec, totalSamples: Math.max(0, rec.totalSamples - this.base) });
      this.finish();
      return;
    }
    const pts = "pts" in rec ? rec.pts : null;
    // Pictures and text of a response already cut are due before the clock: nobody will hear them.
    if (pts !== null && rec.kind !== "audio" && pts < (this.turn ? this.base : this.clock)) return;
    if (!this.turn) {
      this.turn = new TurnQueue<MuxRecord>();
      this.base = this.clock;
      this.turn.push(this.header);
      this.onTurn({ responseId: this.responseId, events: this.turn });
    }
    if (rec.kind === "audio") this.clock = rec.pts + rec.samples.length;
    this.turn.push(rebase(rec, this.base));
  }
}

function rebase(rec: MuxRecord, base: number): MuxRecord {
  switch (rec.kind) {
    case "audio":
    case "motion":
    case "video":
    case "text_delta":
    case "state":
      return { ...rec, pts: rec.pts - base };
    case "usage":
      return { ...rec, pts: Math.max(0, rec.pts - base), renderedSamples: Math.max(0, rec.renderedSamples - base) };
    default:
      return rec;
  }
}
