import "server-only";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { ValidateFunction } from "ajv";
import { extendedContract } from "../openapi/extensions";

// Validates API answers against the OpenAPI document with ajv (JSON Schema 2020-12, as OpenAPI 3.1 uses).

type Json = Record<string, unknown>;
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

function pointer(parts: string[]): string {
  return "#/" + parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");
}

export function createContractValidator(doc: Json = extendedContract() as unknown as Json) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, "contract");
  const cache = new Map<string, ValidateFunction>();
  const paths = doc.paths as Record<string, Record<string, Json>>;
  const components = doc.components as { responses: Record<string, Json> };

  const operations = new Map<string, { path: string; method: string; op: Json }>();
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (typeof op === "object" && op && "operationId" in op) operations.set(String(op.operationId), { path, method, op: op as Json });
    }
  }

  /** Problems with `body` as the answer of `operationId` with `status` (empty when it conforms). */
  function check(operationId: string, status: number, contentType: string | null, body: unknown): string[] {
    const found = operations.get(operationId);
    if (!found) return [`operation ${operationId} is not in the contract`];
    const responses = found.op.responses as Record<string, Json>;
    let response = responses[String(status)];
    let at = ["paths", found.path, found.method, "responses", String(status)];
    if (!response) return [`${operationId}: status ${status} is not documented`];
    const ref = response.$ref as string | undefined;
    if (ref) {
      const name = ref.split("/").pop()!;
      response = components.responses[name]!;
      at = ["components", "responses", name];
    }
    const content = response.content as Record<string, Json> | undefined;
    if (!content) return body === null || body === "" ? [] : [`${operationId} ${status}: documented without a body but one was sent`];
    const media = Object.keys(content)[0]!;
    if (contentType && !contentType.startsWith(media)) return [`${operationId} ${status}: content-type ${contentType}, documented ${media}`];
    if (media !== "application/json") return [];
    const id = `contract${pointer([...at, "content", media, "schema"])}`;
    let validate = cache.get(id);
    if (!validate) {
      validate = ajv.compile({ $ref: id });
      cache.set(id, validate);
    }
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${operationId} ${status}: ${e.instancePath || "/"} ${e.message}`);
  }

  return { check, operations, ajv };
}
