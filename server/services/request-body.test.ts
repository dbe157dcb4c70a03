import { describe, expect, it } from "vitest";
import { BodyTooLarge, bodyLimit, limitedRequest, readBody, readJson } from "./request-body";
import { countedBody, READ_SLACK, requestWith } from "../http/testing/counted-body";

const limit = bodyLimit(1024 * 1024, 413, "test bodies");
const HUGE = 64 * 1024 * 1024;

describe("bounded request bodies", () => {
  it("refuses a streamed body the moment it passes the limit, having read no more than that", async () => {
    const body = countedBody(HUGE);
    await expect(readBody(requestWith("http://x/", body), limit)).rejects.toMatchObject({ status: 413, code: "payload_too_large", headers: { Connection: "close" } });
    expect(body.pulled()).toBeLessThanOrEqual(limit.maxBytes + READ_SLACK);
  });

  it("refuses a declared Content-Length over the limit before reading a byte", async () => {
    const body = countedBody(HUGE);
    await expect(readBody(requestWith("http://x/", body, {}, HUGE), limit)).rejects.toBeInstanceOf(BodyTooLarge);
    expect(() => limitedRequest(requestWith("http://x/", countedBody(HUGE), {}, HUGE), limit)).toThrow(BodyTooLarge);
    expect(body.pulled()).toBe(0);
  });

  it("passes bodies within the limit through unchanged, and a limited request fails its reader past it", async () => {
    expect(await readJson(new Request("http://x/", { method: "POST", body: '{"a":1}' }), limit)).toEqual({ a: 1 });
    await expect(readJson(new Request("http://x/", { method: "POST", body: "" }), limit)).rejects.toMatchObject({ status: 422, code: "invalid_input" });
    const exact = countedBody(limit.maxBytes);
    expect((await readBody(requestWith("http://x/", exact), limit)).byteLength).toBe(limit.maxBytes);

    const body = countedBody(HUGE);
    const limited = limitedRequest(requestWith("http://x/", body), limit);
    await expect(limited.arrayBuffer()).rejects.toBeInstanceOf(BodyTooLarge);
    expect(body.pulled()).toBeLessThanOrEqual(limit.maxBytes + READ_SLACK);
  });
});
