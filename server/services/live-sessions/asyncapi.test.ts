import { describe, expect, it } from "vitest";
import { parseClientEvent } from "@/core/realtime/session-events";
import { sessionAsyncApi, SERVER_EVENT_SCHEMAS } from "./asyncapi";
import { compiledPayloads } from "./testing/asyncapi-validator";

describe("the AsyncAPI document of the session socket", () => {
  it("is AsyncAPI 3 with both directions, every operation's messages defined on the channel", () => {
    const doc = sessionAsyncApi() as { asyncapi: string; channels: { session: { address: string; messages: Record<string, unknown> } }; operations: Record<string, { action: string; messages: { $ref: string }[] }> };
    expect(doc.asyncapi).toBe("3.0.0");
    expect(doc.channels.session.address).toBe("/api/v1/realtime/sessions/{sessionId}/socket");
    expect(Object.values(doc.operations).map((o) => o.action).sort()).toEqual(["receive", "send"]);
    for (const op of Object.values(doc.operations)) for (const m of op.messages) expect(doc.channels.session.messages[m.$ref.split("/").pop()!], m.$ref).toBeDefined();
  });

  it("client event schemas accept what the socket accepts and refuse what it refuses", () => {
    const payloads = compiledPayloads();
    const samples = [
      { type: "conversation.item.create", item: { type: "message", role: "user", content: [{ type: "input_text", text: "Hi" }] } },
      { type: "audio_config", sample_rate: 48000, channel_count: 1 },
      { type: "input_audio_buffer.append", audio: "AAAA" },
      { type: "buffer_status", buffered_ms: 450, playback_position: 1500 },
      { type: "session.update", session: { turn_detection: { type: "none" } } },
      { type: "response.cancel" },
      { type: "avatar.speak", text: "Welcome to the shop!" },
    ];
    for (const s of samples) {
      expect(parseClientEvent(JSON.stringify(s)).ok, s.type).toBe(true);
      expect(payloads.get(s.type)!(s), s.type).toBe(true);
    }
    const bad = { type: "audio_config", sample_rate: 1, channel_count: 2 };
    expect(parseClientEvent(JSON.stringify(bad)).ok).toBe(false);
    expect(payloads.get("audio_config")!(bad)).toBe(false);
    for (const speak of [{ type: "avatar.speak", text: "" }, { type: "avatar.speak" }, { type: "avatar.speak", text: "x".repeat(4001) }]) {
      expect(parseClientEvent(JSON.stringify(speak)).ok).toBe(false);
      expect(payloads.get("avatar.speak")!(speak)).toBe(false);
    }
    const doc = sessionAsyncApi() as { channels: { session: { messages: Record<string, { description?: string }> } } };
    expect(doc.channels.session.messages.avatar_speak!.description).toContain("Our extension");
  });

  it("documents every server event type", () => {
    expect(Object.keys(SERVER_EVENT_SCHEMAS)).toEqual(expect.arrayContaining(["session.created", "status", "response.done", "response.interrupted", "session.ended", "error"]));
  });
});
