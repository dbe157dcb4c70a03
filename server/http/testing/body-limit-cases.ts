import { expect, it } from "vitest";
import { countedBody, READ_SLACK, requestWith } from "./counted-body";

const HUGE = 64 * 1024 * 1024;

/** Read when the test runs: a limit or a header known only after beforeAll (a route imported late, a fresh visitor). */
type Lazy<T> = T | (() => T);
const now = <T>(v: Lazy<T>): T => (typeof v === "function" ? (v as () => T)() : v);

export type BodyLimitCase = {
  url: string;
  headers: Lazy<Record<string, string>>;
  /** The route's limit; a streamed body may be read up to it (plus the chunk that crossed it). */
  maxBytes: Lazy<number>;
  send: (req: Request) => Promise<Response>;
  /** The byte the body is made of (a JSON-ish space by default). */
  fill?: number;
  /** What the 413 body must contain, when the route answers JSON. */
  answer?: Record<string, unknown>;
};

/**
 * The two cases every body-limited route must refuse with 413: a 64 MiB body streamed without a
 * length (read at most up to the limit) and one that declares its length (not read at all).
 * `title` names the case with %s ("streamed" / "declared").
 */
export function itRefusesHugeBodies(title: string, c: BodyLimitCase) {
  it.each([
    ["streamed", undefined],
    ["declared", HUGE],
  ] as const)(title, async (_how, declared) => {
    const body = countedBody(HUGE, c.fill);
    const res = await c.send(requestWith(c.url, body, now(c.headers), declared));
    expect(res.status).toBe(413);
    if (c.answer) expect(await res.json()).toMatchObject(c.answer);
    expect(body.pulled()).toBeLessThanOrEqual(declared ? 0 : now(c.maxBytes) + READ_SLACK);
  });
}
