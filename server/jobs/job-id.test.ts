import { describe, expect, it } from "vitest";
import { jobIdFor } from "./queue";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/;

describe("jobIdFor", () => {
  it("gives the same request the same job (a repeated Idempotency-Key joins it), as a uuid the queue accepts", () => {
    const a = jobIdFor("lipsync", "ten_1", "key_1", "idem-42");
    expect(a).toMatch(UUID);
    expect(jobIdFor("lipsync", "ten_1", "key_1", "idem-42")).toBe(a);
  });

  it("keeps other keys, workspaces and part boundaries apart", () => {
    const a = jobIdFor("lipsync", "ten_1", "key_1", "idem-42");
    expect(jobIdFor("lipsync", "ten_2", "key_1", "idem-42")).not.toBe(a);
    expect(jobIdFor("lipsync", "ten_1", "key_2", "idem-42")).not.toBe(a);
    expect(jobIdFor("lipsync", "ten_1", "key_1idem-42")).not.toBe(jobIdFor("lipsync", "ten_1key_1", "idem-42"));
  });
});
