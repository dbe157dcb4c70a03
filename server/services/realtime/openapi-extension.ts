import "server-only";

type Json = Record<string, unknown>;
type Doc = { paths: Record<string, Record<string, Json>>; components: Json & { schemas: Json; responses: Json } };

/**
 * What this server adds to the contract's realtime operations, applied to the served OpenAPI
 * document (server/http/openapi/extensions.ts): the `render` field of RealtimeTurnRequest, the
 * mux media type of the turn's 200, and the statuses prepare/turn/lipsync answer beyond the seed.
 */
export function extendRealtimeDocument(doc: Doc): void {
  const turn = doc.components.schemas.RealtimeTurnRequest as { properties: Record<string, unknown> } | undefined;
  if (turn) {
    turn.properties.render = {
      type: "string",
      enum: ["client", "server"],
      default: "client",
      description:
        "Who draws the avatar. `client` (default): the stream carries audio and per-frame `motion` records for the SDK player to render on the viewer's GPU. `server`: the stream also carries JPEG `video` records (256×256, one per motion frame) rendered on the server's CPU. Added by this server; not in the seed contract.",
    };
  }
  const turnOp = doc.paths["/api/v1/realtime/turn"]?.post as { responses: Record<string, Json> } | undefined;
  if (turnOp) {
    const ok = turnOp.responses["200"] as { content: Record<string, unknown> };
    ok.content = { "application/x-avatar-mux": { schema: { type: "string", format: "binary" } }, ...ok.content };
    turnOp.responses["409"] = {
      description: "The Idempotency-Key was used before (any reuse), or the avatar is not prepared (status not ready: call prepare).",
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
    turnOp.responses["503"] = {
      description: "`mode: chat` on a live key while no LLM is configured on the server (the message says which variables to set), or the speech engine is not installed.",
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    };
  }
  const prepareOp = doc.paths["/api/v1/realtime/prepare"]?.post as { responses: Record<string, Json> } | undefined;
  if (prepareOp) {
    prepareOp.responses["422"] ??= { $ref: "#/components/responses/ValidationError" };
    prepareOp.responses["409"] ??= { $ref: "#/components/responses/Conflict" };
  }
}
