// video_format "fmp4" (seed 003): a live session's replies leave as fragmented MP4 (H.264 + AAC),
// one per reply, instead of avatar-mux records; JSON events are unchanged.
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { openTestConversation, RecordingSink, userText } from "./testing/conversation-fixture";
import { useTurnWorld } from "../realtime/testing/turn-fixture";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

const OPENING = "The station opens at nine in the morning and closes at six in the evening.";
const world = useTurnWorld("conversation-fmp4", 600_000_000, { knowledge: [{ question: "When does the station open?", answer: OPENING }] });

/** Keeps the binary frames as bytes (they are MP4 here, not mux records). */
class BytesSink extends RecordingSink {
  readonly chunks: { at: number; bytes: Buffer }[] = [];
  override binary(bytes: Uint8Array): void {
    this.chunks.push({ at: performance.now(), bytes: Buffer.from(bytes) });
  }
}

function probe(bytes: Buffer) {
  const file = join(tmpdir(), `tic-fmp4-${Math.random().toString(36).slice(2)}.mp4`);
  writeFileSync(file, bytes);
  const out = JSON.parse(execFileSync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,width:format=duration", "-of", "json", file]).toString()) as {
    streams: { codec_name: string; width?: number }[];
    format: { duration: string };
  };
  return { codecs: out.streams.map((s) => s.codec_name).sort(), width: out.streams.find((s) => s.width)?.width, seconds: Number(out.format.duration) };
}

describe("a live session with video_format fmp4", () => {
  it("sends each reply as a fragmented MP4 while it is spoken", async () => {
    const sink = new BytesSink();
    const { conversation } = await openTestConversation(world, { render: "server", videoFormat: "fmp4" }, sink);
    const t0 = performance.now();
    await conversation.handle(userText("When does the station open?"));
    const done = await sink.next("response.done");
    const doneAt = performance.now();
    await conversation.handle(userText("When does the station open?"));
    await sink.next("response.done", 2);
    // The encoder flushes the last fragment just after the reply's idle state.
    await vi.waitFor(() => expect(Buffer.concat(sink.chunks.map((c) => c.bytes)).toString("latin1").split("ftyp").length - 1).toBe(2), { timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 1_000));
    await conversation.close("client_closed");

    const all = Buffer.concat(sink.chunks.map((c) => c.bytes));
    // Two replies, two MP4s: each starts with its own init segment (size + "ftyp").
    const second = all.indexOf("ftyp", 8) - 4;
    const replies = [all.subarray(0, second), all.subarray(second)];
    const speechSeconds = done.response.usage.speech_ms / 1000;
    for (const reply of replies) {
      expect(reply.subarray(4, 8).toString()).toBe("ftyp");
      expect(reply.includes("moof")).toBe(true);
      const p = probe(reply);
      expect(p.codecs).toEqual(["aac", "h264"]);
      expect(p.width).toBe(256);
      expect(Math.abs(p.seconds - speechSeconds)).toBeLessThan(0.5);
    }
    // Fragments leave while the reply is spoken (about 4 s of speech), not all at its end.
    expect(speechSeconds).toBeGreaterThan(2);
    expect(sink.chunks[1]!.at - t0).toBeLessThan(doneAt - t0 - 1_000);
    expect(sink.events("response.text.delta").length).toBeGreaterThan(0);
  });
});
