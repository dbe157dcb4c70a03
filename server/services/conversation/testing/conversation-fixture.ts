import "server-only";
import { randomBytes } from "node:crypto";
import { and, asc, eq } from "drizzle-orm";
import { newId } from "@/core/ids/new-id";
import { MuxReader, type MuxRecord } from "@/core/mux";
import type { ServerEvent } from "@/core/realtime/session-events";
import type { Db } from "@/server/db/client";
import { realtimeSessions, realtimeThreads, reservations, threadMessages } from "@/server/db/schema";
import { logger } from "@/server/logger";
import type { TurnWorld } from "../../realtime/testing/turn-fixture";
import { openConversation, type Conversation, type ConversationConfig, type ConversationSink } from "../index";

// Test support for the conversation loop (its world is useTurnWorld's): thread and session rows as
// the session API makes them, and a sink that records what the loop sends — JSON events and the
// avatar-mux records of its binary frames, in one ordered log.

/** The world a conversation test runs in: useTurnWorld's database, caller (with sandbox credits) and ready avatar. */
export type ConversationWorld = TurnWorld;

export type LogEntry = { kind: "event"; event: ServerEvent } | { kind: "record"; record: MuxRecord };

/** A sink that keeps everything in order; `bufferedBytes` is what the test says the socket holds. */
export class RecordingSink implements ConversationSink {
  readonly log: LogEntry[] = [];
  readonly usages: { speechMs: number; creditMicros: number }[] = [];
  readonly reader = new MuxReader();
  backlog = 0;
  private waiters: (() => void)[] = [];

  event(e: ServerEvent): void {
    this.log.push({ kind: "event", event: e });
    this.wake();
  }
  /** Runs after each binary chunk is taken (a test acts at an exact point of the stream). */
  afterBinary: (() => void) | null = null;
  binary(bytes: Uint8Array): void {
    for (const record of this.reader.push(bytes)) this.log.push({ kind: "record", record });
    this.wake();
    this.afterBinary?.();
  }
  bufferedBytes(): number {
    return this.backlog;
  }
  activity(): void {}
  usage(u: { speechMs: number; creditMicros: number }): void {
    this.usages.push(u);
  }

  events<T extends ServerEvent["type"]>(type: T): Extract<ServerEvent, { type: T }>[] {
    return this.log.flatMap((l) => (l.kind === "event" && l.event.type === type ? [l.event as Extract<ServerEvent, { type: T }>] : []));
  }
  records<K extends MuxRecord["kind"]>(kind: K, from = 0): Extract<MuxRecord, { kind: K }>[] {
    return this.log.slice(from).flatMap((l) => (l.kind === "record" && l.record.kind === kind ? [l.record as Extract<MuxRecord, { kind: K }>] : []));
  }
  /** Resolves with the `n`th event of `type` (1-based), waiting up to `timeoutMs`. */
  async next<T extends ServerEvent["type"]>(type: T, n = 1, timeoutMs = 60_000): Promise<Extract<ServerEvent, { type: T }>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events(type);
      if (found.length >= n) return found[n - 1]!;
      if (Date.now() > deadline) throw new Error(`no ${type} #${n} within ${timeoutMs} ms; got: ${this.summary()}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 100);
      });
    }
  }
  /** Where an entry sits in the log (for "nothing after it" checks). */
  indexOf(pred: (l: LogEntry) => boolean): number {
    return this.log.findIndex(pred);
  }
  summary(): string {
    return this.log.map((l) => (l.kind === "event" ? l.event.type + (l.event.type === "error" ? `(${l.event.error.code})` : "") : l.record.kind)).filter((k, i, a) => k !== a[i - 1]).join(" ");
  }
  private wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

export type OpenOptions = Partial<Omit<ConversationConfig, "sessionId" | "tenantId" | "avatarId" | "log">>;

/** A thread (new unless `threadId`) and a session row, then the loop on a recording sink. */
export async function openTestConversation<S extends RecordingSink = RecordingSink>(
  world: ConversationWorld,
  options: OpenOptions = {},
  sink: S = new RecordingSink() as S,
): Promise<{ conversation: Conversation; sink: S; config: ConversationConfig }> {
  const { db, caller, avatarId } = world;
  const threadId = options.threadId ?? newId("thr");
  if (!options.threadId) await db.insert(realtimeThreads).values({ id: threadId, tenantId: caller.tenantId, environment: "test", avatarId });
  const sessionId = newId("ses");
  await db.insert(realtimeSessions).values({
    id: sessionId,
    tenantId: caller.tenantId,
    environment: "test",
    avatarId,
    threadId,
    config: {},
    secretHash: randomBytes(32).toString("hex"),
    secretExpiresAt: new Date(Date.now() + 60_000),
    status: "connected",
  });
  const config: ConversationConfig = {
    sessionId,
    threadId,
    tenantId: caller.tenantId,
    environment: "test",
    apiKeyId: null,
    avatarId,
    outputModality: "audio",
    input: "text",
    voice: null,
    prompt: null,
    language: "en",
    render: "client",
    videoFormat: "mux",
    turnDetection: { type: "none" },
    inputSampleRate: 16_000,
    tools: [],
    log: logger.child({ sessionId }),
    ...options,
  };
  const conversation = await openConversation(db, config, sink);
  return { conversation, sink, config };
}

/** A user text message as the socket hands it over. */
export function userText(text: string) {
  return { type: "conversation.item.create" as const, input_source: "text" as const, item: { type: "message" as const, role: "user" as const, content: [{ type: "input_text" as const, text }] } };
}

/** The thread's transcript rows, oldest first. */
export function transcript(db: Db, tenantId: string, threadId: string) {
  return db.select().from(threadMessages).where(and(eq(threadMessages.tenantId, tenantId), eq(threadMessages.threadId, threadId))).orderBy(asc(threadMessages.id));
}

/** The tenant's holds of live sessions, oldest first. */
export function sessionHolds(db: Db, tenantId: string) {
  return db.select().from(reservations).where(and(eq(reservations.tenantId, tenantId), eq(reservations.purpose, "realtime_session"))).orderBy(asc(reservations.createdAt));
}

/** Audio samples between two log positions (a response's share of the session stream). */
export function audioSamples(sink: RecordingSink, from = 0, to = sink.log.length): number {
  return sink.log.slice(from, to).reduce((n, l) => n + (l.kind === "record" && l.record.kind === "audio" ? l.record.samples.length : 0), 0);
}
