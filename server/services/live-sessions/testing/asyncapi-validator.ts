import "server-only";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { sessionAsyncApi } from "../asyncapi";

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

/** Every message payload of the AsyncAPI document, compiled, by message name (the event type). */
export function compiledPayloads() {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const doc = sessionAsyncApi() as { channels: { session: { messages: Record<string, { name: string; payload: object }> } } };
  return new Map(Object.values(doc.channels.session.messages).map((m) => [m.name, ajv.compile(m.payload)]));
}
