import type { ServerEvent, SessionStatus } from "../../../../core/realtime/session-events";

type Of<T extends ServerEvent["type"]> = Extract<ServerEvent, { type: T }>;

/** The typed events a RealtimeSession emits (subscribe with `on`). */
export type RealtimeSessionEvents = {
  /** The socket is authenticated and the session ready. */
  created: Of<"session.created">["session"];
  status: SessionStatus;
  /** The user's words as the recogniser hears them (`final` once the item is complete). */
  user_transcript: { itemId: string; text: string; final: boolean };
  /** The avatar's reply text as it is generated; `text` is the response so far. */
  text: { responseId: string; delta: string; text: string };
  function_call: { responseId: string; callId: string; name: string; arguments: string };
  /** The avatar was cut (barge-in or interrupt()): the player already dropped what it buffered. */
  interrupted: { responseId: string; playedMs: number; reason: "barge_in" | "cancelled" };
  done: Of<"response.done">["response"];
  /** The server ended the session (idle, max duration, ended over the API …). */
  ended: { reason: string };
  error: { code: string; message: string; retryable: boolean; billingUrl?: string };
  /** The socket closed (after `ended`, or on its own: network, auth). */
  close: { code: number; reason: string };
  /** Every JSON event the server sent, as sent. */
  event: ServerEvent;
};

/** A small typed event emitter; a listener that throws is logged and never stops the dispatch. */
export class Emitter<E extends Record<string, unknown>> {
  private readonly listeners = new Map<keyof E, Set<(v: never) => void>>();

  on<K extends keyof E>(type: K, fn: (value: E[K]) => void): () => void {
    const set = this.listeners.get(type) ?? new Set();
    set.add(fn as (v: never) => void);
    this.listeners.set(type, set);
    return () => set.delete(fn as (v: never) => void);
  }

  emit<K extends keyof E>(type: K, value: E[K]): void {
    for (const fn of [...(this.listeners.get(type) ?? [])]) {
      try {
        (fn as (v: E[K]) => void)(value);
      } catch (error) {
        // One listener's bug must not stop the others or the socket's handling.
        console.error(`realtime-avatar: a "${String(type)}" listener threw`, error);
      }
    }
  }
}

/** Parses one text frame from the server; null for anything that is not an event object. */
export function parseServerEvent(text: string): ServerEvent | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof raw !== "object" || raw === null || typeof (raw as { type?: unknown }).type !== "string") return null;
  return raw as ServerEvent;
}
