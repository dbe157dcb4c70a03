import "server-only";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { NextRouteHandler } from "./api-route";
import { ROUTES, routeFileFor, type OperationId } from "./route-table";

/** The Next.js handler serving an operation, loaded from its app/ route file (undefined when the file is missing). */
export async function loadOperation(operationId: OperationId): Promise<NextRouteHandler | undefined> {
  const spec = ROUTES[operationId];
  const file = resolve(process.cwd(), routeFileFor(spec.path));
  if (!existsSync(file)) return undefined;
  const mod = (await import(/* @vite-ignore */ file)) as Record<string, NextRouteHandler | undefined>;
  return mod[spec.method];
}

/** A concrete URL path for a path template (`{avatarId}` → the given or a placeholder id). */
export function concretePath(template: string, params: Record<string, string> = {}): { path: string; params: Record<string, string> } {
  const used: Record<string, string> = {};
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    used[name] = params[name] ?? (name === "avatarId" ? "ava_doesnotexist0000000" : name === "keyId" ? "key_doesnotexist0000000" : name === "sessionId" ? "ses_doesnotexist0000000" : "x");
    return used[name]!;
  });
  return { path, params: used };
}
