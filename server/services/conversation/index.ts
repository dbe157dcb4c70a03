import "server-only";
import type { Db } from "@/server/db/client";
import { AppError } from "@/server/errors";
import type { Conversation, ConversationConfig, ConversationSink } from "./types";

export type { Conversation, ConversationConfig, ConversationSink } from "./types";

// Placeholder until the conversation loop lands (branch loop12 replaces this file): a session
// socket that connects gets a coded `error` event and ends, never a hang or a crash.

/** Opens the conversation loop of one connected session. */
export async function openConversation(_db: Db, _config: ConversationConfig, _sink: ConversationSink): Promise<Conversation> {
  throw new AppError("not_implemented", "The conversation loop is not available on this server yet.", { kind: "unavailable", retryable: false });
}
