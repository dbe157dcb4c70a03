import "server-only";
import type { ClientEvent } from "@/core/realtime/session-events";
import type { Db } from "@/server/db/client";
import type { Conversation, ConversationConfig, ConversationSink } from "@/server/services/conversation/types";

// A minimal conversation for the socket's tests (the real loop is server/services/conversation):
// it answers a user text with a status and a response.done billing `speechMsPerReply`, counts the
// audio it was given, and records what it saw, so tests can tell what crossed the socket edge.

export type EchoLog = { events: ClientEvent[]; audioSamples: number; closedWith: string | null; configs: ConversationConfig[] };

/** An opener of echo conversations that all write to one log. */
export function echoConversations(options: { speechMsPerReply?: number; creditMicrosPerMs?: number; failWith?: Error } = {}) {
  const log: EchoLog = { events: [], audioSamples: 0, closedWith: null, configs: [] };
  const perReply = options.speechMsPerReply ?? 1200;
  const rate = options.creditMicrosPerMs ?? 1000;
  async function open(_db: Db, config: ConversationConfig, sink: ConversationSink): Promise<Conversation> {
    if (options.failWith) throw options.failWith;
    log.configs.push(config);
    let speechMs = 0;
    let replies = 0;
    return {
      async handle(e) {
        log.events.push(e);
        if (e.type !== "conversation.item.create" || e.item.type !== "message") return;
        const id = `resp_${++replies}`;
        sink.activity();
        sink.event({ type: "status", status: "thinking" });
        sink.event({ type: "response.created", response: { id } });
        sink.event({ type: "response.text.delta", response_id: id, delta: `echo: ${e.item.content.map((c) => c.text).join(" ")}` });
        speechMs += perReply;
        sink.usage({ speechMs, creditMicros: speechMs * rate });
        sink.event({ type: "response.done", response: { id, status: "completed", usage: { speech_ms: perReply, credit_micros: perReply * rate } } });
        sink.event({ type: "status", status: "listening" });
      },
      appendAudio(pcm) {
        log.audioSamples += pcm.length;
      },
      async close(reason) {
        log.closedWith = reason;
      },
    };
  }
  return { open, log };
}
