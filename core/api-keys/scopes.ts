// Scopes of the public API (the contract's ApiKeyScope enum). `*` holds every scope.

export const API_KEY_SCOPES = [
  "*",
  "api_keys:write",
  "credits:read",
  "avatars:read",
  "avatars:write",
  "realtime:write",
  "usage:read",
  "usage:write",
] as const;

export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** Scopes a new key gets when the request names none (the contract's default). */
export const DEFAULT_KEY_SCOPES: ApiKeyScope[] = ["realtime:write", "credits:read", "avatars:read"];

/** Whether a key holding `held` may call a route requiring `required`. */
export function hasScope(held: readonly string[], required: ApiKeyScope): boolean {
  return held.includes("*") || held.includes(required);
}

/** Scopes in `requested` that `held` does not cover (a key may not mint a key with more power). */
export function missingScopes(held: readonly string[], requested: readonly string[]): string[] {
  if (held.includes("*")) return [];
  return requested.filter((s) => !held.includes(s));
}
