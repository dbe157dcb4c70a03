import "server-only";
import { z } from "zod";
import { AppError } from "@/server/errors";
import type { KnowledgeEntry } from "./types";

// The shape of an avatar's knowledge entries (`settings.knowledge`), for the avatar settings edge
// to validate on write and for the turn to read back.

export const knowledgeEntrySchema = z.object({
  question: z.string().trim().min(1).max(500),
  answer: z.string().trim().min(1).max(4000),
});

export const knowledgeSchema = z.array(knowledgeEntrySchema).max(200);

/** The knowledge entries of an avatar's settings object; none when absent, invalid_input when malformed. */
export function knowledgeFromSettings(settings: unknown): KnowledgeEntry[] {
  const raw = settings && typeof settings === "object" ? (settings as { knowledge?: unknown }).knowledge : undefined;
  if (raw === undefined || raw === null) return [];
  const parsed = knowledgeSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = ["settings", "knowledge", ...(issue?.path ?? [])].map((p) => (typeof p === "number" ? `[${p}]` : String(p))).join(".").replace(/\.\[/g, "[");
    throw new AppError("invalid_input", `${where}: ${issue?.message ?? "invalid"}. Knowledge is a list of at most 200 {question, answer} pairs.`, {
      field: "settings.knowledge",
    });
  }
  return parsed.data;
}
