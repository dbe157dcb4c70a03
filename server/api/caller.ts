import "server-only";
import { headers } from "next/headers";
import { cache } from "react";
import { createCaller } from "./root";
import { createTrpcContext } from "./trpc";

/** A tRPC caller for server components: same procedures and checks as the browser's client. */
export const serverApi = cache(async () => {
  const h = new Headers(await headers());
  return createCaller(await createTrpcContext({ headers: h, resHeaders: new Headers() }));
});
