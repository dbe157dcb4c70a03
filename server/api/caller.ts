import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getSessionUser } from "../auth/session";
import { createCaller } from "./root";
import { createTrpcContext } from "./trpc";

/** A tRPC caller for dashboard server components; a signed-out visitor is sent to sign-in. */
export const serverApi = cache(async () => {
  const h = new Headers(await headers());
  // Layout and page render in parallel, so each page must not rely on the layout's redirect.
  const user = await getSessionUser();
  if (!user) redirect("/sign-in?callbackUrl=/platform");
  return createCaller(await createTrpcContext({ headers: h, resHeaders: new Headers(), user }));
});
