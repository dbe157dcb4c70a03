import "server-only";

// A server-sent events parser (WHATWG HTML §9.2) fed with text pieces cut anywhere: in the middle
// of a line, of a "\r\n" pair or of a field name. Only `event` and `data` matter to the providers.

export type SseEvent = { event: string; data: string };

export class SseParser {
  private pending = "";
  private data: string[] = [];
  private event = "";
  private sawCr = false;

  /** Events completed by `text`. */
  push(text: string): SseEvent[] {
    const out: SseEvent[] = [];
    let input = text;
    // A "\r" ended the previous piece: a "\n" starting this one belongs to the same line break.
    if (this.sawCr && input.startsWith("\n")) input = input.slice(1);
    this.sawCr = false;
    this.pending += input;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(this.pending);
      if (!match) break;
      if (match[0] === "\r" && match.index === this.pending.length - 1) {
        this.sawCr = true; // maybe the first half of "\r\n"
      }
      const line = this.pending.slice(0, match.index);
      this.pending = this.pending.slice(match.index + match[0].length);
      const event = this.line(line);
      if (event) out.push(event);
    }
    return out;
  }

  /** The stream ended: an event not followed by a blank line is still delivered (servers forget it). */
  end(): SseEvent[] {
    const out: SseEvent[] = [];
    if (this.pending) {
      const event = this.line(this.pending);
      if (event) out.push(event);
      this.pending = "";
    }
    const last = this.line("");
    if (last) out.push(last);
    return out;
  }

  private line(line: string): SseEvent | null {
    if (line === "") {
      if (this.data.length === 0) {
        this.event = "";
        return null;
      }
      const event = { event: this.event || "message", data: this.data.join("\n") };
      this.data = [];
      this.event = "";
      return event;
    }
    if (line.startsWith(":")) return null; // comment / keep-alive
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.event = value;
    return null;
  }
}
