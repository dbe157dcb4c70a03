import NextAuth from "next-auth";
import { NextRequest } from "next/server";
import { getAuthOptions } from "@/server/auth/options";
import { BodyTooLarge, bodyLimit, bufferedRequest } from "@/server/services/request-body";

type Ctx = { params: Promise<{ nextauth: string[] }> };

/** Sign-in and sign-out forms are a few hundred bytes; Auth.js would read any body whole. */
export const AUTH_BODY_LIMIT = bodyLimit(64 * 1024, 413, "sign-in requests");

// Options are built lazily because the Drizzle adapter needs an open database.
async function handler(req: Request, ctx: Ctx) {
  let request: Request;
  try {
    // Auth.js reads `nextUrl`: a request rebuilt around the read body must be a NextRequest again.
    request = req.body ? new NextRequest(await bufferedRequest(req, AUTH_BODY_LIMIT)) : req;
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    return Response.json({ error: error.message, code: error.code }, { status: error.status, headers: error.headers });
  }
  return NextAuth(request as never, ctx as never, await getAuthOptions());
}

export { handler as GET, handler as POST };
