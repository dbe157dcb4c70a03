import "server-only";
import type { Db } from "@/server/db/client";
import { getEnv } from "@/server/env";
import { getAvatar } from "../avatars";
import { getLlmProvider, knowledgeFromSettings } from "../llm";
import { ttsProvider, visemeRunner } from "../realtime/engine";
import { preparedRig } from "../realtime/prepare";
import { openServerFrames } from "../realtime/server-frames";
import { videoCacheForTurn } from "../video-avatars/turn-cache";
import { personaFromSettings } from "../realtime/turn";
import { VIDEO_SIZE } from "../realtime/turn-request";
import { LiveConversation } from "./conversation";
import { fmp4Sink } from "./fmp4-sink";
import { LEAD_MS, type SpeechSetup } from "./reply";
import { getSttProvider, requireSttLanguage, type SttProvider } from "../speech";
import { ThreadHistory } from "./thread-history";
import { ToolCalls } from "./tool-calls";
import type { Conversation, ConversationConfig, ConversationSink } from "./types";

export type { Conversation, ConversationConfig, ConversationSink, ToolDefinition } from "./types";

/**
 * Opens the conversation loop of a connected session: the avatar (persona, knowledge, voice), its
 * rig and the viseme model when it speaks, the thread's history, and the chat provider for the key's
 * environment. Throws AppError (not_found, 409 not prepared, unavailable LLM) before any event.
 */
export async function openConversation(db: Db, config: ConversationConfig, socketSink: ConversationSink): Promise<Conversation> {
  const sink = config.videoFormat === "fmp4" ? fmp4Sink(socketSink, config.log) : socketSink;
  const avatar = await getAvatar(db, config.tenantId, config.avatarId);
  const llm = getLlmProvider({ env: getEnv(), environment: config.environment, demo: false });
  const knowledge = knowledgeFromSettings(avatar.settings);
  let provider: SttProvider | null = null;
  const stt = () => (provider ??= getSttProvider(getEnv()));
  // A language the recogniser cannot do is refused now, not at the user's first word.
  if (config.input === "voice") requireSttLanguage(stt(), config.language);
  const [history, speech] = await Promise.all([
    ThreadHistory.load(db, { tenantId: config.tenantId, threadId: config.threadId, sessionId: config.sessionId }),
    config.outputModality === "audio" ? speechSetup(db, avatar, config) : null,
  ]);
  return new LiveConversation({
    config,
    db,
    sink,
    owner: { tenantId: config.tenantId, environment: config.environment, apiKeyId: config.apiKeyId, log: config.log },
    avatarId: avatar.id,
    llm,
    persona: config.prompt?.trim() || personaFromSettings(avatar.settings),
    voiceId: config.voice ?? avatar.defaultVoiceId ?? undefined,
    knowledge,
    tools: config.tools.map((t) => ({ name: t.name, description: t.description, parameters: t.parameters })),
    history,
    toolCalls: new ToolCalls(),
    speech,
    stt,
    stream: { writer: null },
    log: config.log,
  });
}

/** The pipeline's inputs for a speaking avatar (as startTurn builds them), paced with the session's lead. */
async function speechSetup(db: Db, avatar: Awaited<ReturnType<typeof getAvatar>>, config: ConversationConfig): Promise<SpeechSetup> {
  const entry = await preparedRig(db, avatar);
  const video = await videoCacheForTurn(db, avatar, entry.manifestId, {});
  const [runner, frames] = await Promise.all([visemeRunner(), config.render === "server" ? openServerFrames(db, avatar, entry, video, VIDEO_SIZE) : null]);
  return {
    avatarId: avatar.id,
    manifestId: entry.manifestId,
    manifestVersion: entry.version,
    runner,
    frames,
    tts: ttsProvider(),
    // The first batch leaves at once; later ones at most LEAD_MS ahead of real time.
    timing: { low_latency_first_chunk: true, playout_delay_ms: LEAD_MS, max_buffer_delay_ms: 120 },
    log: config.log,
  };
}
