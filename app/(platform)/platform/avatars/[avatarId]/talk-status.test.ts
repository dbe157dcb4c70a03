import { describe, expect, it } from "vitest";
import { pushStatus, upsertLine } from "./talk-status";

describe("the Talk panel's state", () => {
  it("records each status change once, in order", () => {
    let h: string[] = [];
    for (const s of ["connecting", "listening", "listening", "thinking", "speaking", "speaking", "listening"] as const) h = pushStatus(h, s);
    expect(h).toEqual(["connecting", "listening", "thinking", "speaking", "listening"]);
  });

  it("refines a line in place as recognition and generation go on", () => {
    let lines = upsertLine([], { key: "u1", role: "user", text: "what are", final: false });
    lines = upsertLine(lines, { key: "u1", role: "user", text: "what are your hours", final: true });
    lines = upsertLine(lines, { key: "r1", role: "assistant", text: "We open", final: false });
    expect(lines.map((l) => `${l.role}:${l.text}`)).toEqual(["user:what are your hours", "assistant:We open"]);
  });
});
