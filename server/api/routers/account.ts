import "server-only";
import { signUpInput } from "@/core/accounts/account-input";
import { chargeSignUp } from "../../auth/sign-up-throttle";
import { clientAddress } from "../../http/client-address";
import { signUp } from "../../services/users";
import { protectedProcedure, createTRPCRouter, publicProcedure } from "../trpc";

export const accountRouter = createTRPCRouter({
  /** Creates the user and their first workspace; the page then signs in with the same credentials. */
  signUp: publicProcedure.input(signUpInput).mutation(async ({ ctx, input }) => {
    await chargeSignUp(clientAddress({ headers: ctx.headers }));
    const result = await signUp(ctx.db, input);
    return { userId: result.user.id, tenantId: result.tenant.id, tenantSlug: result.tenant.slug };
  }),
  me: protectedProcedure.query(({ ctx }) => ctx.user),
});
