"use client";
import { signOut } from "next-auth/react";

export function SignOutButton() {
  return (
    <button type="button" data-testid="sign-out" onClick={() => signOut({ callbackUrl: "/sign-in" })}>
      Sign out
    </button>
  );
}
