import "server-only";
import { lookup as dnsLookup } from "node:dns/promises";
import http, { type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import https from "node:https";
import { CodedError } from "@/core/coded-error";
import { isIP, type LookupFunction, type Socket } from "node:net";
import { checkPublicAddress, type AddressVerdict } from "./ip-address";

// An HTTP(S) GET that cannot be pointed at the server's own network. Node's global fetch is not used:
// it ignores custom agents, so its DNS answer could not be checked. Here node:http connects through our
// own `lookup`, which validates every resolved address, and the socket's remote address is checked again
// after connect (a backstop against anything that bypassed the lookup). Redirects are followed by hand,
// each hop re-validated from scratch.

/** Decides whether a connection to address:port is allowed; injectable so tests can admit one local server. */
export type AddressPolicy = (address: string, port: number) => AddressVerdict;
export type Resolver = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export type SafeFetchErrorCode =
  | "invalid_url"
  | "scheme_not_allowed"
  | "address_not_allowed"
  | "too_many_redirects"
  | "too_large"
  | "timeout"
  | "http_status"
  | "network_error";

/** A refused or failed remote fetch; `code` is stable, `message` names the URL problem. */
export class SafeFetchError extends CodedError<SafeFetchErrorCode> {
  override name = "SafeFetchError";
}

export type SafeFetchOptions = {
  /** Body cap in bytes: a larger Content-Length is refused up front, a longer body is cut at the cap. */
  maxBytes: number;
  /** Total time for every hop and the whole body; a slow drip is cut off when it runs out. */
  timeoutMs: number;
  maxRedirects?: number;
  policy?: AddressPolicy;
  resolve?: Resolver;
  userAgent?: string;
};

export type SafeResponse = {
  url: string;
  status: number;
  headers: IncomingHttpHeaders;
  /** The body, enforcing the byte cap and the deadline; iterate it once. */
  body: AsyncIterable<Uint8Array>;
};

export const publicOnly: AddressPolicy = (address) => checkPublicAddress(address);
const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Parses a remote URL and refuses anything but plain http(s) without credentials. */
export function parseRemoteUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (cause) {
    throw new SafeFetchError("invalid_url", "remoteUrl is not a valid absolute URL.", { cause });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new SafeFetchError("scheme_not_allowed", `remoteUrl scheme '${url.protocol.replace(/:$/, "")}' is not allowed; use http or https.`);
  }
  if (url.username || url.password) throw new SafeFetchError("invalid_url", "remoteUrl must not contain credentials.");
  if (!url.hostname) throw new SafeFetchError("invalid_url", "remoteUrl has no host.");
  return url;
}

function refuse(verdict: AddressVerdict): SafeFetchError {
  // The class of address is named, the address itself is not: the message must not map the internal network.
  const reason = verdict.ok ? "" : verdict.reason;
  return new SafeFetchError("address_not_allowed", `remoteUrl points to a non-public address (${reason}); only public internet hosts can be fetched.`);
}

type Hop = { req: http.ClientRequest; res: IncomingMessage };

/** A request other than the default GET: a webhook's POST with its body. */
type Outgoing = { method: "POST"; headers: Record<string, string>; body: Uint8Array };

function requestOnce(url: URL, options: Required<Pick<SafeFetchOptions, "policy" | "resolve">> & SafeFetchOptions, onRequest: (r: http.ClientRequest) => void, outgoing?: Outgoing): Promise<Hop> {
  const port = Number(url.port) || (url.protocol === "https:" ? 443 : 80);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const literal = isIP(host);
  if (literal) {
    // Node connects to an IP literal without calling `lookup`; check it here.
    const verdict = options.policy(host, port);
    if (!verdict.ok) return Promise.reject(refuse(verdict));
  }
  let blocked: SafeFetchError | undefined;
  const lookup: LookupFunction = (hostname, lookupOptions, callback) => {
    options.resolve(hostname).then(
      (found) => {
        const family = lookupOptions.family === 4 || lookupOptions.family === 6 ? lookupOptions.family : 0;
        const addresses = found.filter((a) => !family || a.family === family);
        if (addresses.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), "", 4);
        // Every answer must pass: a rebinding name that mixes a public and a private address is refused whole.
        for (const a of addresses) {
          const verdict = options.policy(a.address, port);
          if (!verdict.ok) {
            blocked = refuse(verdict);
            return callback(blocked, "", 4);
          }
        }
        if (lookupOptions.all) return (callback as unknown as (e: null, a: typeof addresses) => void)(null, addresses);
        callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 4),
    );
  };
  return new Promise<Hop>((resolveHop, reject) => {
    const client = url.protocol === "https:" ? https : http;
    const req = client.request({
      protocol: url.protocol,
      host,
      port,
      path: `${url.pathname}${url.search}`,
      method: outgoing?.method ?? "GET",
      agent: false,
      lookup: literal ? undefined : lookup,
      servername: literal ? undefined : host,
      headers: {
        "user-agent": options.userAgent ?? "TIC-Avatar-Ingest/1.0",
        accept: "*/*",
        "accept-encoding": "identity",
        ...(outgoing ? { ...outgoing.headers, "content-length": String(outgoing.body.byteLength) } : {}),
      },
      timeout: Math.min(options.timeoutMs, 15_000),
    });
    onRequest(req);
    const verifyPeer = (socket: Socket) => {
      const address = socket.remoteAddress ?? "";
      const verdict = options.policy(address, socket.remotePort ?? port);
      if (!verdict.ok) req.destroy(refuse(verdict));
    };
    req.on("socket", (socket: Socket) => {
      if (!socket.connecting && socket.remoteAddress) verifyPeer(socket);
      else socket.once("connect", () => verifyPeer(socket));
    });
    req.on("timeout", () => req.destroy(new SafeFetchError("timeout", "remoteUrl did not respond in time.")));
    req.on("error", (error) => {
      if (blocked) return reject(blocked);
      if (error instanceof SafeFetchError) return reject(error);
      reject(new SafeFetchError("network_error", `remoteUrl could not be fetched: ${(error as NodeJS.ErrnoException).code ?? error.message}.`, { cause: error }));
    });
    req.on("response", (res) => {
      // Re-check the connected peer once more before trusting anything it sent.
      const socket = res.socket;
      const verdict = options.policy(socket.remoteAddress ?? "", socket.remotePort ?? port);
      if (!verdict.ok) {
        const error = refuse(verdict);
        req.destroy(error);
        return reject(error);
      }
      resolveHop({ req, res });
    });
    req.end(outgoing?.body);
  });
}

/** GETs a public http(s) URL with at most `maxRedirects` (3) re-checked redirects, a byte cap and a deadline. */
export async function safeFetch(rawUrl: string, options: SafeFetchOptions): Promise<SafeResponse> {
  const full = { ...options, policy: options.policy ?? publicOnly, resolve: options.resolve ?? systemResolver };
  const maxRedirects = options.maxRedirects ?? 3;
  let current: http.ClientRequest | undefined;
  let response: IncomingMessage | undefined;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    const error = new SafeFetchError("timeout", `remoteUrl took longer than ${options.timeoutMs} ms; the download was cut off.`);
    if (response) response.destroy(error);
    current?.destroy(error);
  }, options.timeoutMs);
  timer.unref?.();
  try {
    let url = parseRemoteUrl(rawUrl);
    for (let hop = 0; ; hop++) {
      const { req, res } = await requestOnce(url, full, (r) => (current = r));
      const location = res.headers.location;
      if (REDIRECTS.has(res.statusCode ?? 0) && location) {
        req.destroy();
        if (hop >= maxRedirects) throw new SafeFetchError("too_many_redirects", `remoteUrl redirected more than ${maxRedirects} times.`);
        url = parseRemoteUrl(new URL(location, url).toString());
        continue;
      }
      const status = res.statusCode ?? 0;
      if (status < 200 || status > 299) {
        req.destroy();
        throw new SafeFetchError("http_status", `remoteUrl answered HTTP ${status}; expected 200.`);
      }
      const declared = Number(res.headers["content-length"]);
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        req.destroy();
        throw new SafeFetchError("too_large", `remoteUrl is ${declared} bytes; the limit for this kind is ${options.maxBytes} bytes.`);
      }
      response = res;
      return { url: url.toString(), status, headers: res.headers, body: capped(res, req, options.maxBytes, timer) };
    }
  } catch (error) {
    clearTimeout(timer);
    current?.destroy();
    if (timedOut && !(error instanceof SafeFetchError && error.code === "timeout")) {
      throw new SafeFetchError("timeout", `remoteUrl took longer than ${options.timeoutMs} ms; the download was cut off.`, { cause: error });
    }
    throw error;
  }
}

async function* capped(res: IncomingMessage, req: http.ClientRequest, maxBytes: number, timer: NodeJS.Timeout): AsyncGenerator<Uint8Array> {
  let total = 0;
  try {
    try {
      for await (const chunk of res as AsyncIterable<Buffer>) {
        total += chunk.length;
        if (total > maxBytes) throw new SafeFetchError("too_large", `remoteUrl sent more than ${maxBytes} bytes, the limit for this kind; the download was cut off.`);
        yield chunk;
      }
    } catch (error) {
      if (error instanceof SafeFetchError) throw error;
      throw new SafeFetchError("network_error", "remoteUrl closed the connection before the body was complete.", { cause: error });
    }
  } finally {
    clearTimeout(timer);
    req.destroy();
  }
}

export type SafePostResult = { status: number; headers: IncomingHttpHeaders; /** The answer's first bytes, as text (for the delivery log). */ bodyText: string };

/**
 * POSTs `body` to a public http(s) URL under the same address rules as safeFetch (every resolved and
 * connected address checked), within `timeoutMs`. Redirects are not followed — a webhook receiver
 * answers itself — and any HTTP status is returned, not thrown; refusals and network failures throw
 * SafeFetchError.
 */
export async function safePost(rawUrl: string, body: Uint8Array, headers: Record<string, string>, options: Omit<SafeFetchOptions, "maxRedirects">): Promise<SafePostResult> {
  const full = { ...options, policy: options.policy ?? publicOnly, resolve: options.resolve ?? systemResolver };
  let current: http.ClientRequest | undefined;
  const timer = setTimeout(() => current?.destroy(new SafeFetchError("timeout", `the receiver did not answer within ${options.timeoutMs} ms.`)), options.timeoutMs);
  timer.unref?.();
  try {
    const { req, res } = await requestOnce(parseRemoteUrl(rawUrl), full, (r) => (current = r), { method: "POST", headers, body });
    const chunks: Buffer[] = [];
    let total = 0;
    try {
      for await (const chunk of res as AsyncIterable<Buffer>) {
        if (total < options.maxBytes) chunks.push(chunk.subarray(0, options.maxBytes - total));
        total += chunk.length;
        // The answer is only logged: past the cap, stop reading rather than buffer a flood.
        if (total >= options.maxBytes) break;
      }
    } catch (error) {
      if (!(error instanceof SafeFetchError && error.code === "timeout")) throw new SafeFetchError("network_error", "the receiver closed the connection mid-answer.", { cause: error });
      throw error;
    } finally {
      req.destroy();
    }
    return { status: res.statusCode ?? 0, headers: res.headers, bodyText: Buffer.concat(chunks).toString("utf8") };
  } finally {
    clearTimeout(timer);
  }
}
