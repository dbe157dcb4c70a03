import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signatureHeader } from "../../../../core/webhooks/signature";
import { verifyWebhook } from "./verify-webhook";

const secret = "whsec_test_3f9a";
const body = JSON.stringify({ id: "evt_1", type: "session.ended", created: 1_900_000_000, data: { session: { id: "ses_1" } } });
const now = 1_900_000_010;

describe("verifyWebhook", () => {
  it("accepts a body signed with the secret and returns the event", async () => {
    const header = await signatureHeader(secret, body, now - 5);
    expect(await verifyWebhook(body, header, secret, { nowS: now })).toMatchObject({ id: "evt_1", type: "session.ended" });
    expect(await verifyWebhook(new TextEncoder().encode(body), header, secret, { nowS: now })).toMatchObject({ id: "evt_1" });
  });

  it("signs exactly HMAC-SHA256(secret, `${t}.${body}`) in hex, as any language can check it", async () => {
    const header = await signatureHeader(secret, body, now);
    const expected = createHmac("sha256", secret).update(`${now}.${body}`).digest("hex");
    expect(header).toBe(`t=${now},v1=${expected}`);
  });

  it("refuses a changed body, another secret, a missing or malformed header", async () => {
    const header = await signatureHeader(secret, body, now);
    await expect(verifyWebhook(body.replace("ses_1", "ses_2"), header, secret, { nowS: now })).rejects.toMatchObject({ code: "invalid_signature", message: expect.stringContaining("signature_mismatch") });
    await expect(verifyWebhook(body, header, "whsec_other", { nowS: now })).rejects.toMatchObject({ code: "invalid_signature" });
    await expect(verifyWebhook(body, null, secret, { nowS: now })).rejects.toMatchObject({ code: "invalid_signature" });
    await expect(verifyWebhook(body, "sha256=abc", secret, { nowS: now })).rejects.toMatchObject({ message: expect.stringContaining("malformed_signature") });
  });

  it("refuses a replay outside the tolerance, and accepts one inside a wider one", async () => {
    const old = await signatureHeader(secret, body, now - 301);
    await expect(verifyWebhook(body, old, secret, { nowS: now })).rejects.toMatchObject({ message: expect.stringContaining("timestamp_out_of_tolerance") });
    expect(await verifyWebhook(body, old, secret, { nowS: now, toleranceS: 600 })).toMatchObject({ id: "evt_1" });
    // The timestamp is signed: moving it forward breaks the signature.
    const moved = old.replace(`t=${now - 301}`, `t=${now}`);
    await expect(verifyWebhook(body, moved, secret, { nowS: now })).rejects.toMatchObject({ message: expect.stringContaining("signature_mismatch") });
  });

  it("accepts the header when any of several v1 signatures matches", async () => {
    const header = await signatureHeader(secret, body, now);
    const withOther = `${header},v1=${"0".repeat(64)}`;
    expect(await verifyWebhook(body, withOther, secret, { nowS: now })).toMatchObject({ id: "evt_1" });
  });
});
