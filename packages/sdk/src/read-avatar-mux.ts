import { readMux, type MuxRecord, type MuxSource } from "../../../core/mux";
import { apiErrorFrom } from "./rest/errors";

/** One decoded record of the avatar mux (see docs/avatar-mux.md). Switch on `kind`. */
export type AvatarMuxEvent = MuxRecord;

/**
 * Async iterator of typed events from an avatar mux stream: a fetch Response, its body
 * (ReadableStream<Uint8Array>) or any AsyncIterable<Uint8Array> (Node streams). Works in browsers,
 * workers and Node. Throws MuxError (stable `code`) on corrupt or truncated streams, and
 * TicApiError when given a non-2xx Response.
 */
export async function* readAvatarMux(source: MuxSource | Response): AsyncGenerator<AvatarMuxEvent, void, undefined> {
  if (typeof Response !== "undefined" && source instanceof Response) {
    if (!source.ok) throw await apiErrorFrom(source);
    // No body is an empty stream: readMux reports it as missing_header rather than ending quietly.
    yield* readMux(source.body ?? (async function* () {})());
    return;
  }
  yield* readMux(source as MuxSource);
}
