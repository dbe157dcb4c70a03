import NextAuth from "next-auth";
import { getAuthOptions } from "@/server/auth/options";

type Ctx = { params: Promise<{ nextauth: string[] }> };

// Options are built lazily because the Drizzle adapter needs an open database.
async function handler(req: Request, ctx: Ctx) {
  return NextAuth(req as never, ctx as never, await getAuthOptions());
}

export { handler as GET, handler as POST };
