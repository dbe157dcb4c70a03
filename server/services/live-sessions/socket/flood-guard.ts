import "server-only";
import { SESSION_MESSAGES_PER_SECOND } from "@/core/realtime/session-events";

// Seed 002's limit of 100 messages a second per connection. Past it the rest of that second is
// dropped (the client is told once); a flood that does not ease — twice the limit within one
// second, or over it three seconds running — closes the socket (4008).

export type FloodVerdict = "pass" | "drop_and_warn" | "drop" | "close";

export class FloodGuard {
  private windowStart = 0;
  private count = 0;
  private strikes = 0;
  private warned = false;

  constructor(private readonly perSecond = SESSION_MESSAGES_PER_SECOND) {}

  /** Counts one message at `now` (ms). */
  take(now: number): FloodVerdict {
    if (now - this.windowStart >= 1000) {
      const wasOver = this.count > this.perSecond;
      // A quiet second in between forgives earlier ones.
      this.strikes = wasOver && now - this.windowStart < 2000 ? this.strikes : 0;
      this.windowStart = now;
      this.count = 0;
      this.warned = false;
    }
    this.count++;
    if (this.count <= this.perSecond) return "pass";
    if (this.count === this.perSecond + 1) this.strikes++;
    if (this.count > this.perSecond * 2 || this.strikes >= 3) return "close";
    if (this.warned) return "drop";
    this.warned = true;
    return "drop_and_warn";
  }
}
