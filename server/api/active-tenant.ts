import "server-only";
import type { Db } from "../db/client";
import { AppError } from "../errors";
import { getMembership, listTenantsForUser, type TenantSummary } from "../services/tenants";

/** Cookie holding the tenant the dashboard shows; only a hint: membership is checked on every request. */
export const ACTIVE_TENANT_COOKIE = "tic_tenant";

/** What a tenant id (`ten_…`) or slug looks like; anything else (in the cookie, in a switch) is not one of ours. */
export const TENANT_REF = /^[a-z0-9_-]{1,64}$/;

// The cookie is only a hint: a value that cannot be decoded (bad percent-encoding), or that decodes to
// something no tenant id or slug looks like (NUL, overlong), is ignored rather than failing the request.
function readCookie(header: string | null, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k !== name) continue;
    let value: string;
    try {
      value = decodeURIComponent(v.join("="));
    } catch {
      return undefined;
    }
    return TENANT_REF.test(value) ? value : undefined;
  }
  return undefined;
}

/** The tenant chosen by the cookie if the user is a member, else the user's first tenant. */
export async function resolveActiveTenant(db: Db, userId: string, cookieHeader: string | null): Promise<TenantSummary> {
  const wanted = readCookie(cookieHeader, ACTIVE_TENANT_COOKIE);
  if (wanted) {
    try {
      return await getMembership(db, userId, wanted);
    } catch (error) {
      if (!(error instanceof AppError && error.code === "not_found")) throw error;
    }
  }
  const [first] = await listTenantsForUser(db, userId);
  if (!first) throw new AppError("not_found", "You are not a member of any workspace. Create one to continue.");
  return first;
}
