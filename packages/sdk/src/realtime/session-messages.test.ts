import { describe, expect, it } from "vitest";
import { parseClientEvent } from "../../../../core/realtime/session-events";
import * as msg from "./session-messages";

describe("session messages", () => {
  it("are events the server's parser accepts, unchanged", () => {
    for (const event of [msg.audioConfig(16_000), msg.userText("What are your hours?"), msg.toolOutput("call_1", '{"ok":true}'), msg.bufferStatus(320.4, 1234.6), msg.cancelResponse(), msg.keepAlive(), msg.speakText("Welcome!")]) {
      const parsed = parseClientEvent(JSON.stringify(event));
      expect(parsed, JSON.stringify(event)).toMatchObject({ ok: true });
      if (parsed.ok) expect(parsed.event).toEqual(event);
    }
  });

  it("rounds playback figures to whole milliseconds and never reports a negative position", () => {
    expect(msg.bufferStatus(320.4, 1234.6)).toEqual({ type: "buffer_status", buffered_ms: 320, playback_position: 1235 });
    expect(msg.bufferStatus(-1, -5)).toMatchObject({ buffered_ms: 0, playback_position: 0 });
  });

  it("gives tool results to the model as text", () => {
    expect(msg.toolResultText("sunny")).toBe("sunny");
    expect(msg.toolResultText({ temp: 21 })).toBe('{"temp":21}');
    expect(msg.toolResultText(undefined)).toBe("null");
  });

  it("puts the client secret in the token parameter, keeping the URL's own", () => {
    const u = new URL(msg.authorisedUrl("wss://example.com/api/v1/realtime/sessions/ses_1/ws?x=1", "cs_a+b/c"));
    expect(u.searchParams.get("token")).toBe("cs_a+b/c");
    expect(u.searchParams.get("x")).toBe("1");
  });
});
