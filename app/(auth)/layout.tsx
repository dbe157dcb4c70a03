import type { ReactNode } from "react";
import { TrpcReactProvider } from "../_trpc/client";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <TrpcReactProvider>
      <main className="auth-page">{children}</main>
    </TrpcReactProvider>
  );
}
