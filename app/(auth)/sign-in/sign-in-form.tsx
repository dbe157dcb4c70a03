"use client";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { SIGN_IN_THROTTLED } from "@/core/accounts/account-input";

/** Only same-site paths: an absolute callbackUrl would make sign-in an open redirect. */
function safeCallback(raw: string | null): string {
  return raw && raw.startsWith("/") && !raw.startsWith("//") ? raw : "/platform";
}

export function SignInForm({ github }: { github: boolean }) {
  const router = useRouter();
  const params = useSearchParams();
  const callbackUrl = safeCallback(params.get("callbackUrl"));
  const [error, setError] = useState<string | null>(params.get("error") ? "Sign-in failed. Try again." : null);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const result = await signIn("credentials", {
      email: String(form.get("email") ?? ""),
      password: String(form.get("password") ?? ""),
      redirect: false,
    });
    setPending(false);
    if (!result || result.error) {
      // The throttle message says when to try again; every other failure reads the same for any email.
      setError(result?.error?.startsWith(SIGN_IN_THROTTLED) ? result.error : "Wrong email or password.");
      return;
    }
    router.push(callbackUrl);
    router.refresh();
  }

  return (
    <div className="card">
      <h1>Sign in</h1>
      <form onSubmit={onSubmit} data-testid="sign-in-form">
        <label htmlFor="email">Email</label>
        <input id="email" name="email" type="email" autoComplete="email" required maxLength={254} />
        <label htmlFor="password">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required maxLength={128} />
        {error && <p className="error" role="alert" data-testid="form-error">{error}</p>}
        <p><button className="primary" type="submit" disabled={pending}>{pending ? "Signing in…" : "Sign in"}</button></p>
      </form>
      {github && <p><button onClick={() => signIn("github", { callbackUrl })}>Continue with GitHub</button></p>}
      <p className="muted">No account? <Link href="/sign-up">Create one</Link></p>
    </div>
  );
}
