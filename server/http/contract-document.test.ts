import { describe, expect, it } from "vitest";
import contract from "./openapi/contract.json";
import { extendedContract } from "./openapi/extensions";
import { ROUTES } from "./route-table";
import { createContractValidator } from "./testing/contract-validator";
import { toApiErrorBody } from "./api-error";
import { AppError, type AppErrorCode } from "../errors";

function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => refs(n, out));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

function resolvePointer(doc: unknown, ref: string): unknown {
  return ref
    .slice(2)
    .split("/")
    .reduce<unknown>((n, p) => (n as Record<string, unknown> | undefined)?.[p.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
}

describe("the OpenAPI documents", () => {
  for (const [name, doc] of [["seed contract", contract], ["served contract", extendedContract()]] as const) {
    it(`${name}: is OpenAPI 3.1, every $ref resolves, every schema compiles`, () => {
      expect(doc.openapi).toBe("3.1.0");
      for (const ref of refs(doc)) expect(resolvePointer(doc, ref), ref).toBeDefined();
      const v = createContractValidator(doc as unknown as Record<string, unknown>);
      for (const id of Object.keys(doc.components.schemas)) expect(() => v.ajv.compile({ $ref: `contract#/components/schemas/${id}` }), id).not.toThrow();
      const ids = [...v.operations.keys()];
      expect(new Set(ids).size).toBe(ids.length);
    });
  }

  it("the route table holds every contract operation with its method and path, and nothing undocumented", () => {
    const seed = createContractValidator(contract as unknown as Record<string, unknown>);
    for (const [id, { path, method }] of seed.operations) {
      const spec = ROUTES[id as keyof typeof ROUTES];
      expect(spec, `${id} missing from route table`).toBeDefined();
      expect(`${spec.method} ${spec.path}`).toBe(`${method.toUpperCase()} ${path}`);
    }
    const served = createContractValidator();
    for (const id of Object.keys(ROUTES)) expect(served.operations.has(id), `${id} undocumented`).toBe(true);
  });

  it("documents each operation's required scope", () => {
    const served = createContractValidator();
    for (const [id, spec] of Object.entries(ROUTES)) expect(served.operations.get(id)!.op["x-required-scope"]).toBe(spec.scope);
  });

  it("maps every service error code to a contract Error body", () => {
    const v = createContractValidator();
    const codes: AppErrorCode[] = ["not_found", "conflict", "invalid_input", "unauthorized", "forbidden", "tenant_suspended", "insufficient_credits", "spend_limit_exceeded", "rate_limited", "upstream_failed"];
    for (const code of codes) {
      const { body } = toApiErrorBody(new AppError(code, "Something specific went wrong."));
      expect(v.ajv.validate({ $ref: "contract#/components/schemas/Error" }, body)).toBe(true);
      expect(Object.keys(body).sort()).toEqual(body.status === 402 ? ["billingUrl", "code", "error", "retryable", "status"] : ["code", "error", "retryable", "status"]);
    }
    expect(toApiErrorBody(new AppError("insufficient_credits", "x")).body).toMatchObject({ status: 402, billingUrl: "/platform/billing", retryable: false });
  });
});
