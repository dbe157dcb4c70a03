// The origins a publishable key may be used from (pure: shared by the server and the dashboard form).
//
// An allowed origin is exactly what a browser sends in `Origin`: scheme://host[:port], lower case,
// no path, the scheme's default port left out. One wildcard form is accepted, `https://*.example.com`:
// any subdomain (one or more labels) of example.com over https on the default port, never the bare
// domain itself, and never a wildcard over a public suffix-like single label (`https://*.com`).

const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export type OriginParse = { ok: true; origin: string } | { ok: false; reason: string };

function validHost(host: string): boolean {
  if (host === "localhost") return true;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return host.split(".").every((n) => Number(n) <= 255);
  if (/^\[[0-9a-f:]+\]$/.test(host)) return true;
  const labels = host.split(".");
  return labels.length >= 2 && labels.every((l) => HOST_LABEL.test(l));
}

/** Parses an allowed origin as typed in the dashboard; the normalised form, or why it is not one. */
export function parseAllowedOrigin(input: string): OriginParse {
  const text = input.trim().toLowerCase();
  const wildcard = /^https:\/\/\*\.([^/:]+)$/.exec(text);
  if (wildcard) {
    const rest = wildcard[1]!;
    if (!validHost(rest) || rest.split(".").length < 2 || /^[\d.]+$/.test(rest)) {
      return { ok: false, reason: `"${input}": a wildcard must cover a domain of two labels or more, as in https://*.example.com.` };
    }
    return { ok: true, origin: `https://*.${rest}` };
  }
  if (text.includes("*")) return { ok: false, reason: `"${input}": the only wildcard form is https://*.example.com (https, a leading *., no port).` };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, reason: `"${input}": not an origin; write scheme://host[:port], as in https://www.example.com.` };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: `"${input}": an origin is http:// or https://.` };
  if (url.username || url.password || url.search || url.hash || (url.pathname !== "/" && url.pathname !== "")) {
    return { ok: false, reason: `"${input}": an origin has no path, query or credentials; write only scheme://host[:port].` };
  }
  if (!/^[a-z]+:\/\/[^/]+\/?$/.test(text)) return { ok: false, reason: `"${input}": write only scheme://host[:port].` };
  if (!validHost(url.hostname)) return { ok: false, reason: `"${input}": "${url.hostname}" is not a host name.` };
  return { ok: true, origin: url.origin };
}

/** Whether a request's `Origin` header value is one of `allowed` (normalised entries from parseAllowedOrigin). */
export function originAllowed(allowed: readonly string[], origin: string | null): boolean {
  if (!origin || origin === "null") return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  // A browser's Origin is already exactly url.origin; anything else is not a browser's.
  if (url.origin !== origin) return false;
  for (const entry of allowed) {
    if (entry === origin) return true;
    if (entry.startsWith("https://*.") && url.protocol === "https:" && url.port === "") {
      const domain = entry.slice("https://*.".length);
      if (url.hostname.endsWith(`.${domain}`)) return true;
    }
  }
  return false;
}
