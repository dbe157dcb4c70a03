import "server-only";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

/** Validates a body against one of the contract's component schemas; returns the problems (empty = valid). */
export function contractSchemas() {
  const doc = JSON.parse(readFileSync(resolve(process.cwd(), "server/http/openapi/contract.json"), "utf8")) as Record<string, unknown>;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, "contract");
  return (schema: string, body: unknown): string[] => {
    const validate = ajv.getSchema(`contract#/components/schemas/${schema}`) ?? ajv.compile({ $ref: `contract#/components/schemas/${schema}` });
    return validate(body) ? [] : (validate.errors ?? []).map((e) => `${schema}${e.instancePath} ${e.message}`);
  };
}
