import { describe, expect, it } from "vitest";
import { parseClientEvent } from "./session-events";

describe("parseClientEvent", () => {
  it("accepts the OpenAI shape, seed 002 aliases, and seed 002/003 payloads under `data`", () => {
    expect(parseClientEvent(JSON.stringify({ type: "input_audio_buffer.append", audio: "AAAA" }))).toMatchObject({ ok: true, event: { type: "input_audio_buffer.append", audio: "AAAA" } });
    expect(parseClientEvent(JSON.stringify({ type: "audio_buffer_append", data: { audio: "AAAA" } }))).toMatchObject({ ok: true, event: { type: "input_audio_buffer.append", audio: "AAAA" } });
    expect(parseClientEvent(JSON.stringify({ type: "audio_config", data: { sample_rate: 48000, channel_count: 1 } }))).toMatchObject({ ok: true, event: { type: "audio_config", sample_rate: 48000 } });
    expect(parseClientEvent(JSON.stringify({ type: "buffer_status", data: { buffered_ms: 450, playback_position: 1500 } }))).toMatchObject({ ok: true, event: { buffered_ms: 450 } });
    expect(parseClientEvent(JSON.stringify({ type: "interrupt" }))).toMatchObject({ ok: true, event: { type: "response.cancel" } });
  });

  it("answers bad frames with their code, never throwing", () => {
    expect(parseClientEvent("{")).toMatchObject({ ok: false, code: "invalid_json" });
    expect(parseClientEvent("[1]")).toMatchObject({ ok: false, code: "invalid_event" });
    expect(parseClientEvent(JSON.stringify({ type: "nope", event_id: "e1" }))).toMatchObject({ ok: false, code: "unknown_event", eventId: "e1" });
    expect(parseClientEvent(JSON.stringify({ type: "audio_config", sample_rate: 48000, channel_count: 2 }))).toMatchObject({ ok: false, code: "invalid_event" });
    // `data` beside top-level fields is not lifted (the event is judged as sent).
    expect(parseClientEvent(JSON.stringify({ type: "audio_config", sample_rate: 16000, data: { channel_count: 1 } }))).toMatchObject({ ok: false, code: "invalid_event" });
  });

  it("parses avatar.speak (our extension): text said verbatim, at most 4000 characters, never empty", () => {
    expect(parseClientEvent(JSON.stringify({ type: "avatar.speak", text: "Welcome to the shop!" }))).toEqual({ ok: true, event: { type: "avatar.speak", text: "Welcome to the shop!" } });
    expect(parseClientEvent(JSON.stringify({ type: "avatar.speak", event_id: "s1", data: { text: "Hi." } }))).toMatchObject({ ok: true, event: { type: "avatar.speak", event_id: "s1", text: "Hi." } });
    for (const bad of [{}, { text: "" }, { text: "   " }, { text: 42 }, { text: "x".repeat(4001) }]) {
      const parsed = parseClientEvent(JSON.stringify({ type: "avatar.speak", event_id: "s2", ...bad }));
      expect(parsed, JSON.stringify(bad)).toMatchObject({ ok: false, code: "invalid_event", eventId: "s2" });
      if (!parsed.ok) expect(parsed.message).toContain("avatar.speak: text");
    }
  });
});
