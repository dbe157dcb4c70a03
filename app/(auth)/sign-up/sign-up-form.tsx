"use client";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { signUpInput } from "@/core/accounts/account-input";
import { errorMessage, useTRPC } from "../../_trpc/client";

export function SignUpForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const signUp = useMutation(trpc.account.signUp.mutationOptions());
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    const form = new FormData(event.currentTarget);
    const input = {
      name: String(form.get("name") ?? ""),
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      tenantName: String(form.get("tenantName") ?? "").trim() || undefined,
    };
    // Same schema as the server: instant feedback, the server still decides.
    const local = signUpInput.safeParse(input);
    if (!local.success) {
      setError(local.error.issues[0]?.message ?? "Check the form.");
      return;
    }
    try {
      await signUp.mutateAsync(local.data);
    } catch (e) {
      setError(errorMessage(e));
      return;
    }
    const result = await signIn("credentials", { email: local.data.email, password: input.password, redirect: false });
    if (!result || result.error) {
      setError("Your account was created, but signing in failed. Sign in manually.");
      return;
    }
    router.push("/platform");
    router.refresh();
  }

  return (
    <div className="card">
      <h1>Create your workspace</h1>
      <form onSubmit={onSubmit} data-testid="sign-up-form" noValidate>
        <label htmlFor="name">Your name</label>
        <input id="name" name="name" autoComplete="name" maxLength={100} required />
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="email" maxLength={254} required />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="new-password" maxLength={128} required />
        <p className="muted">At least 10 characters, mixing letters with digits or symbols.</p>
        <label htmlFor="tenantName">Workspace name (optional)</label>
        <input id="tenantName" name="tenantName" maxLength={80} />
        {error && <p className="error" role="alert" data-testid="form-error">{error}</p>}
        <p><button className="primary" type="submit" disabled={signUp.isPending}>{signUp.isPending ? "Creating…" : "Create account"}</button></p>
      </form>
      <p className="muted">Already have an account? <Link href="/sign-in">Sign in</Link></p>
    </div>
  );
}
