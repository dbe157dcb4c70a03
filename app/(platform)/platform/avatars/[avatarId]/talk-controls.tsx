"use client";

import { useEffect, useRef, useState } from "react";
import type { StageState } from "@/app/_stage/use-avatar-stage";
import { AvatarPlayer, RealtimeSession } from "@/packages/sdk/src";
import { pushStatus, upsertLine, type TalkLine } from "./talk-status";

/** What starting a session answers (POST /api/v1/realtime/sessions, here made by the dashboard on the sandbox). */
export type TalkSession = { session_id: string; url: string; client_secret: { value: string; expires_at: string }; threadId: string };

/**
 * Talk: a live conversation with the avatar on this page's stage. The dashboard creates the session
 * server-side (sandbox credits); the browser connects with its client secret, streams the
 * microphone and plays the avatar's answers on the same renderer as Speak.
 */
export function TalkControls({ stage, start, busy }: { stage: StageState; start: () => Promise<TalkSession>; busy: boolean }) {
  const [history, setHistory] = useState<string[]>([]);
  const [lines, setLines] = useState<TalkLine[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [sessionId, setSessionId] = useState<string | null>(null);
  const session = useRef<RealtimeSession | null>(null);
  const audio = useRef<AudioContext | null>(null);
  const status = history.at(-1) ?? "off";
  const live = session.current !== null && !["ended", "error"].includes(status);

  // The session draws on this stage's renderer: end it with the stage (or when leaving the page).
  useEffect(() => () => session.current?.close(), [stage]);

  const mark = (s: Parameters<typeof pushStatus>[1]) => setHistory((h) => pushStatus(h, s));

  async function talk() {
    if (stage.phase !== "ready") return;
    setError(null);
    setLines([]);
    setHistory(["connecting"]);
    try {
      // Created in the click handler: browsers start audio (and the microphone graph) only from a user gesture.
      const ctx = (audio.current ??= new AudioContext());
      await ctx.resume();
      const created = await start();
      setSessionId(created.session_id);
      const player = new AvatarPlayer({ sink: stage.sink, audioContext: ctx });
      const s = new RealtimeSession({ url: created.url, clientSecret: created.client_secret.value, player, audioContext: ctx });
      session.current = s;
      s.on("status", mark);
      s.on("user_transcript", (t) => setLines((l) => upsertLine(l, { key: t.itemId, role: "user", text: t.text, final: t.final })));
      s.on("text", (t) => setLines((l) => upsertLine(l, { key: t.responseId, role: "assistant", text: t.text, final: false })));
      s.on("interrupted", (i) => setLines((l) => l.map((x) => (x.key === i.responseId ? { ...x, text: `${x.text} —`, final: true } : x))));
      s.on("error", (e) => setError(`${e.code}: ${e.message}`));
      s.on("ended", () => mark("ended"));
      s.on("close", (c) => {
        session.current = null;
        setHistory((h) => (h.at(-1) === "ended" || h.at(-1) === "error" ? h : pushStatus(h, c.code === 1000 || c.code === 4003 ? "ended" : "error")));
        if (c.code !== 1000 && c.code !== 4003) setError((e) => e ?? `The connection closed (${c.code}${c.reason ? `: ${c.reason}` : ""}).`);
      });
      await s.connect();
      await s.startMicrophone();
    } catch (err) {
      session.current?.close();
      session.current = null;
      mark("error");
      setError((err as Error).message);
    }
  }

  function end() {
    session.current?.close();
    session.current = null;
    mark("ended");
  }

  return (
    <div className="card" data-testid="talk-panel" data-status={status} data-history={history.join(",")}>
      <h2>Talk</h2>
      <p>
        {live ? (
          <>
            <button type="button" className="button" data-testid="talk-interrupt" disabled={status !== "speaking"} onClick={() => session.current?.interrupt()}>Interrupt</button>{" "}
            <button type="button" className="button" data-testid="talk-end" onClick={end}>End conversation</button>
          </>
        ) : (
          <button type="button" className="button primary" data-testid="talk-button" disabled={stage.phase !== "ready" || busy || status === "connecting"} onClick={() => void talk()}>
            Talk
          </button>
        )}{" "}
        <span className={`badge status-${status}`} data-testid="talk-status">{status === "off" ? "not connected" : status}</span>
      </p>
      {error && <p className="error" role="alert" data-testid="talk-error">{error}</p>}
      <ol data-testid="talk-transcript" style={{ listStyle: "none", padding: 0 }}>
        {lines.map((l) => (
          <li key={l.key} data-testid="talk-line" data-role={l.role} data-final={l.final}>
            <strong>{l.role === "user" ? "You" : "Avatar"}:</strong> {l.text}
          </li>
        ))}
      </ol>
      <p className="muted">
        Speak into your microphone; the avatar answers and stops when you cut in. Conversations from this page run on the sandbox (test) environment.
        {sessionId && <> Session <code data-testid="talk-session-id">{sessionId}</code>.</>}
      </p>
    </div>
  );
}
