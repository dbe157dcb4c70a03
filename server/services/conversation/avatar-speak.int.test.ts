// avatar.speak (the widget's `speak` mode) through the conversation loop with the embedded stack
// (espeak-ng, the viseme model): the text said verbatim as a response, on the session's one stream,
// billed to the audio sent, in the transcript as the avatar's turn, cut by response.cancel and by the
// user's next turn exactly as an answer is.
import { describe, expect, it, vi } from "vitest";
import { samplesToMicros } from "@/core/mux";
import { audioSamples, openTestConversation, sessionHolds, transcript, userText } from "./testing/conversation-fixture";
import { useTurnWorld } from "../realtime/testing/turn-fixture";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

const OPENING = "The station opens at nine in the morning and closes at six in the evening.";
// Nothing the FAQ responder could answer: only said verbatim does it come out word for word.
const GREETING = "Welcome aboard, traveller! The lift to the observation deck is on your left.";
const LONG =
  "Please keep your seatbelt fastened while we dock. The docking clamps will engage in a few moments, and you will feel a gentle bump. After that the airlock cycles, which takes about two minutes. Then the crew will guide you to the galley for a welcome drink.";

const world = useTurnWorld("avatar-speak", 600_000_000, {
  persona: "You are Ada, the station guide.",
  knowledge: [{ question: "When does the station open?", answer: OPENING }],
});

describe("avatar.speak", () => {
  it("says the text verbatim as a response: deltas, audio + motion, billed to the audio sent, an assistant turn in the transcript", async () => {
    const { conversation, sink, config } = await openTestConversation(world);
    await conversation.handle({ type: "avatar.speak", text: `  ${GREETING} ` });
    const done = await sink.next("response.done");
    expect(done.response.status).toBe("completed");
    expect(sink.events("response.text.delta").map((d) => d.delta).join("")).toBe(GREETING);
    expect(sink.events("status").map((s) => s.status)).toEqual(["idle", "thinking", "speaking", "idle"]);
    const samples = audioSamples(sink);
    const rate = sink.records("header")[0]!.sampleRate;
    expect(samples / rate).toBeGreaterThan(2);
    expect(sink.records("motion").length).toBeGreaterThan(Math.floor((samples / rate) * 25) - 2);
    expect(sink.records("text_delta").map((t) => t.text.trim()).join(" ")).toBe(GREETING);
    expect(done.response.usage.credit_micros).toBe(samplesToMicros(samples, rate));
    const hold = (await sessionHolds(world.db, world.caller.tenantId)).at(-1)!;
    expect(hold).toMatchObject({ status: "settled", settledMicros: samplesToMicros(samples, rate) });

    // The conversation goes on, the LLM seeing what the avatar said; the question is answered.
    await conversation.handle(userText("When does the station open?"));
    expect((await sink.next("response.done", 2)).response.status).toBe("completed");
    await conversation.close("client_closed");
    const rows = await transcript(world.db, world.caller.tenantId, config.threadId);
    expect(rows.map((r) => [r.role, r.text, r.interrupted])).toEqual([
      ["assistant", GREETING, false],
      ["user", "When does the station open?", false],
      ["assistant", OPENING, false],
    ]);
  });

  it("is cut by response.cancel (interrupt) where the client played, the transcript and charge cut with it", async () => {
    const { conversation, sink, config } = await openTestConversation(world);
    await conversation.handle({ type: "avatar.speak", text: LONG });
    await sink.next("status", 3); // speaking
    await new Promise((r) => setTimeout(r, 2_000));
    await conversation.handle({ type: "buffer_status", buffered_ms: 400, playback_position: 1_500 });
    await conversation.handle({ type: "response.cancel" });
    const interrupted = await sink.next("response.interrupted");
    const done = await sink.next("response.done");
    expect(done.response.status).toBe("cancelled");
    expect(interrupted).toMatchObject({ reason: "cancelled", response_id: done.response.id });
    const cutAt = sink.indexOf((l) => l.kind === "event" && l.event.type === "response.interrupted");
    expect(sink.records("audio", cutAt)).toEqual([]);
    const samples = audioSamples(sink);
    const rate = sink.records("header")[0]!.sampleRate;
    expect(samples / rate).toBeLessThan(4.5); // LONG is ~15 s of speech
    expect(done.response.usage.credit_micros).toBe(samplesToMicros(samples, rate));
    await conversation.close("client_closed");
    const [said] = await transcript(world.db, world.caller.tenantId, config.threadId);
    expect(said).toMatchObject({ role: "assistant", interrupted: true });
    expect(said!.text.length).toBeGreaterThan(0);
    expect(LONG.startsWith(said!.text)).toBe(true);
    expect(said!.text.length).toBeLessThan(LONG.indexOf("After that"));
  });

  it("the user's next turn cuts it (barge-in), and a new speak cuts a running answer", async () => {
    const { conversation, sink, config } = await openTestConversation(world);
    await conversation.handle({ type: "avatar.speak", text: LONG });
    await sink.next("status", 3); // speaking
    await new Promise((r) => setTimeout(r, 1_500)); // some of it heard
    await conversation.handle(userText("When does the station open?"));
    expect(await sink.next("response.interrupted")).toMatchObject({ reason: "barge_in" });
    expect((await sink.next("response.done")).response.status).toBe("interrupted");
    expect((await sink.next("response.done", 2)).response.status).toBe("completed");

    const statuses = sink.events("status").length;
    await conversation.handle(userText("When does the station open?"));
    expect((await sink.next("status", statuses + 2)).status).toBe("speaking");
    await new Promise((r) => setTimeout(r, 1_000)); // the second answer is heard in part
    await conversation.handle({ type: "avatar.speak", text: GREETING });
    expect(await sink.next("response.interrupted", 2)).toMatchObject({ reason: "cancelled" });
    expect((await sink.next("response.done", 3)).response.status).toBe("cancelled");
    expect((await sink.next("response.done", 4)).response.status).toBe("completed");
    await conversation.close("client_closed");
    const rows = await transcript(world.db, world.caller.tenantId, config.threadId);
    expect(rows.map((r) => [r.role, r.interrupted])).toEqual([
      ["assistant", true],
      ["user", false],
      ["assistant", false],
      ["user", false],
      ["assistant", true],
      ["assistant", false],
    ]);
    expect(rows.at(-1)!.text).toBe(GREETING);
  });

  it("a text-only session sends the text as the response's deltas, unbilled", async () => {
    const { conversation, sink } = await openTestConversation(world, { outputModality: "text" });
    await conversation.handle({ type: "avatar.speak", text: GREETING });
    const done = await sink.next("response.done");
    expect(done.response).toMatchObject({ status: "completed", usage: { speech_ms: 0, credit_micros: 0 } });
    expect(sink.events("response.text.delta").map((d) => d.delta).join("")).toBe(GREETING);
    expect(sink.records("audio")).toEqual([]);
    await conversation.close("client_closed");
  });
});
