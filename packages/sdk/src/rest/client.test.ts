import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { writeSampleTurn } from "../../../../core/mux/sample-stream";
import { TicAvatarClient } from "./client";

/** The API is another process; tests capture what the client sends through an injected fetch. */
function recorder(respond: (url: string, init: RequestInit) => Response = () => Response.json({ data: [] })) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = vi.fn(async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return respond(String(url), init ?? {});
  }) as unknown as typeof globalThis.fetch;
  return { calls, fetch };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("TicAvatarClient", () => {
  it("sends the key as a bearer token to the configured base URL", async () => {
    const { calls, fetch } = recorder();
    const client = new TicAvatarClient({ apiKey: "tic_test_abc", baseUrl: "http://localhost:3000/", fetch });
    await client.avatars.list();
    await client.realtime.prepare({ avatar_id: "ava_1" });
    expect(calls[0]!.url).toBe("http://localhost:3000/api/v1/avatars");
    expect((calls[0]!.init.headers as Record<string, string>).authorization).toBe("Bearer tic_test_abc");
    expect(calls[1]!.url).toBe("http://localhost:3000/api/v1/realtime/prepare");
    expect(calls[1]!.init.method).toBe("POST");
    expect(JSON.parse(String(calls[1]!.init.body))).toEqual({ avatar_id: "ava_1" });
  });

  it("raises the contract's error body as TicApiError", async () => {
    const { fetch } = recorder(() =>
      Response.json({ error: "Not enough credits; top up at /platform/billing", code: "insufficient_credits", retryable: false, status: 402, billingUrl: "/platform/billing" }, { status: 402 }),
    );
    const client = new TicAvatarClient({ apiKey: "tic_test_abc", baseUrl: "http://x", fetch });
    await expect(client.credits.balance()).rejects.toMatchObject({ name: "TicApiError", status: 402, code: "insufficient_credits", retryable: false, billingUrl: "/platform/billing" });
    const html = recorder(() => new Response("<html>bad gateway</html>", { status: 502 }));
    const c2 = new TicAvatarClient({ apiKey: "tic_test_abc", baseUrl: "http://x", fetch: html.fetch });
    await expect(c2.avatars.get("ava_1")).rejects.toMatchObject({ status: 502, code: "http_502", retryable: true });
  });

  it("streams a turn with the idempotency key and decodes it", async () => {
    const { bytes } = writeSampleTurn({ seconds: 0.2 });
    const { calls, fetch } = recorder(() => new Response(bytes, { headers: { "content-type": "application/x-avatar-mux" } }));
    const client = new TicAvatarClient({ apiKey: "tic_live_abc", baseUrl: "http://x", fetch });
    const turn = await client.realtime.turn({ avatar_id: "ava_1", mode: "speak_text", text: "Hi" }, { idempotencyKey: "turn-1" });
    expect((calls[0]!.init.headers as Record<string, string>)["idempotency-key"]).toBe("turn-1");
    const kinds: string[] = [];
    for await (const ev of turn.events()) kinds.push(ev.kind);
    expect(kinds[0]).toBe("header");
    expect(kinds.at(-1)).toBe("end");
  });

  it("refuses a secret key in a browser unless told otherwise", () => {
    vi.stubGlobal("window", { document: {} });
    expect(() => new TicAvatarClient({ apiKey: "tic_live_abc" })).toThrow(expect.objectContaining({ code: "browser_secret_key" }));
    expect(() => new TicAvatarClient({ apiKey: "tic_test_abc" })).toThrow(expect.objectContaining({ code: "browser_secret_key" }));
    expect(() => new TicAvatarClient({ apiKey: "tic_test_abc", dangerouslyAllowBrowser: true })).not.toThrow();
  });

  it("covers every operation of the API contract", () => {
    const contract = JSON.parse(readFileSync(new URL("../../../../server/http/openapi/contract.json", import.meta.url), "utf8")) as {
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    const ops = Object.values(contract.paths).flatMap((p) => Object.values(p).flatMap((o) => (o && typeof o === "object" && o.operationId ? [o.operationId] : [])));
    const client = new TicAvatarClient({ apiKey: "tic_test_abc", fetch: recorder().fetch });
    const methods: Record<string, unknown> = {
      listAvatars: client.avatars.list, createAvatar: client.avatars.create, getAvatar: client.avatars.get,
      updateAvatar: client.avatars.update, deleteAvatar: client.avatars.delete, listAssets: client.assets.list,
      uploadAsset: client.assets.upload, createRemoteAsset: client.assets.createRemote, prepareRealtime: client.realtime.prepare,
      realtimeTurn: client.realtime.turn, planVideoCache: client.realtime.planVideoCache, getCreditBalance: client.credits.balance,
      createApiKey: client.apiKeys.create, lipsync: client.lipsync,
    };
    expect(ops.sort()).toEqual(Object.keys(methods).sort());
    for (const fn of Object.values(methods)) expect(typeof fn).toBe("function");
  });
});
