import "server-only";
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { realtimeThreads, threadMessages } from "@/server/db/schema";
import type { ChatMessage } from "../llm";

// A thread's history: the transcript rows of every session on it (thread_messages), read once when a
// session opens and appended as the conversation goes; the LLM sees them as its messages.

/** The most recent messages a reply is given: older ones would crowd a small context window. */
export const HISTORY_MESSAGES = 40;

export type TranscriptRow = {
  role: "user" | "assistant" | "tool";
  text: string;
  tool?: Record<string, unknown> | null;
  interrupted?: boolean;
  startMs?: number | null;
  endMs?: number | null;
};

export class ThreadHistory {
  private writes: Promise<unknown> = Promise.resolve();
  private failed: unknown = null;

  private constructor(
    private readonly db: Db,
    private readonly scope: { tenantId: string; threadId: string; sessionId: string },
    private readonly messages: ChatMessage[],
  ) {}

  /** The thread's stored messages (tenant-scoped), oldest first. */
  static async load(db: Db, scope: { tenantId: string; threadId: string; sessionId: string }): Promise<ThreadHistory> {
    const rows = await db
      .select()
      .from(threadMessages)
      .where(and(eq(threadMessages.tenantId, scope.tenantId), eq(threadMessages.threadId, scope.threadId)))
      .orderBy(asc(threadMessages.id));
    return new ThreadHistory(db, scope, toChat(rows));
  }

  /** What the LLM is given: the last HISTORY_MESSAGES, never starting on a tool result without its call. */
  chat(): ChatMessage[] {
    let from = Math.max(0, this.messages.length - HISTORY_MESSAGES);
    while (from < this.messages.length && this.messages[from]!.role === "tool") from++;
    return this.messages.slice(from);
  }

  /** Adds a row to the transcript (in order; written in the background, awaited by `flush`). */
  add(row: TranscriptRow): void {
    this.messages.push(...toChat([{ ...row, tool: row.tool ?? null }]));
    const values = {
      tenantId: this.scope.tenantId,
      threadId: this.scope.threadId,
      sessionId: this.scope.sessionId,
      role: row.role,
      text: row.text,
      tool: row.tool ?? null,
      interrupted: row.interrupted ?? false,
      startMs: row.startMs ?? null,
      endMs: row.endMs ?? null,
    };
    this.writes = this.writes.then(async () => {
      await this.db.insert(threadMessages).values(values);
      await this.db
        .update(realtimeThreads)
        .set({ updatedAt: new Date() })
        .where(and(eq(realtimeThreads.id, this.scope.threadId), eq(realtimeThreads.tenantId, this.scope.tenantId)));
    });
    // A failed write must not wedge the ones after it; flush() reports it.
    this.writes = this.writes.catch((error: unknown) => {
      this.failed = error;
    });
  }

  /** Waits for the rows added so far to be stored; throws the first write that failed. */
  async flush(): Promise<void> {
    await this.writes;
    if (this.failed) throw this.failed;
  }
}

type Row = { role: "user" | "assistant" | "tool"; text: string; tool: Record<string, unknown> | null };

/** Rows as chat messages: consecutive tool calls of one reply become one assistant message. */
function toChat(rows: Row[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  for (const r of rows) {
    const tool = r.tool;
    if (r.role === "tool") {
      out.push({ role: "tool", toolCallId: String(tool?.call_id ?? ""), content: r.text });
    } else if (r.role === "assistant" && tool && typeof tool.name === "string") {
      const call = { id: String(tool.call_id ?? ""), name: tool.name, arguments: typeof tool.arguments === "string" ? tool.arguments : "{}" };
      const last = out.at(-1);
      if (last?.role === "assistant" && last.toolCalls?.length) last.toolCalls.push(call);
      else out.push({ role: "assistant", content: r.text, toolCalls: [call] });
    } else if (r.text) {
      out.push({ role: r.role, content: r.text });
    }
  }
  return out;
}
