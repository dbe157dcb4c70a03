import type { SessionStatus } from "@/packages/sdk/src";

/** A live session's status history as the Talk panel shows it: each change once, in order. */
export function pushStatus(history: readonly string[], status: SessionStatus | "connecting" | "ended" | "error"): string[] {
  return history.at(-1) === status ? [...history] : [...history, status];
}

/** The transcript lines of a talk: the user's words (replaced as recognition refines them) and the avatar's. */
export type TalkLine = { key: string; role: "user" | "assistant"; text: string; final: boolean };

/** Puts `line` in place of the one with its key, or appends it. */
export function upsertLine(lines: readonly TalkLine[], line: TalkLine): TalkLine[] {
  const i = lines.findIndex((l) => l.key === line.key);
  if (i < 0) return [...lines, line];
  const next = [...lines];
  next[i] = line;
  return next;
}
