import { readFileSync } from "node:fs";
import { describe, expect, expectTypeOf, it } from "vitest";
import { GENERATED_PATH, renderRestTypes } from "../../scripts/generate-rest-types";
import type { operations } from "./contract.generated";
import type { Asset, Avatar, ListResponse } from "./types";

type JsonBody<R> = R extends { content: { "application/json": infer B } } ? B : never;

describe("REST types and the OpenAPI contract", () => {
  it("contract.generated.ts is what the contract generates now", async () => {
    const fresh = await renderRestTypes();
    // On failure: the contract changed; run `npm run generate:types -w realtime-avatar` and commit.
    expect(readFileSync(GENERATED_PATH, "utf8"), "src/rest/contract.generated.ts is stale").toBe(fresh);
  });

  it("the hand-written list envelope is the contract's", () => {
    expectTypeOf<ListResponse<Avatar>>().toEqualTypeOf<JsonBody<operations["listAvatars"]["responses"][200]>>();
    expectTypeOf<ListResponse<Asset>>().toEqualTypeOf<JsonBody<operations["listAssets"]["responses"][200]>>();
  });
});
