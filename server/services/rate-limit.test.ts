import { describe, expect, it } from "vitest";
import { allowedAcross, rateLimitContract } from "../testing/rate-limit-contract";
import { limitWindows } from "./rate-limit";
import { memoryStore } from "./rate-limit-store";

describe("rate limits in this process (REDIS_URL unset)", () => {
  rateLimitContract(memoryStore);

  it("counts per instance: two processes each allow the full limit", async () => {
    expect(await allowedAcross([memoryStore(), memoryStore()], "per-instance", 4, 20)).toBe(8);
  });
});

describe("limit windows", () => {
  it("splits a limit into a steady window and a burst window holding the rest", () => {
    expect(limitWindows({ perSecond: 20, burst: 40 })).toEqual({ steady: { points: 20, durationSeconds: 1 }, burst: { points: 20, durationSeconds: 2 } });
    expect(limitWindows({ perSecond: 1 / 60, burst: 10 })).toEqual({ steady: { points: 1, durationSeconds: 60 }, burst: { points: 9, durationSeconds: 600 } });
    expect(limitWindows({ perSecond: 1e6, burst: 1e6 })).toEqual({ steady: { points: 1e6, durationSeconds: 1 } });
  });
});
