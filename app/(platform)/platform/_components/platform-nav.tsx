"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/platform", label: "Overview" },
  { href: "/platform/avatars", label: "Avatars" },
  { href: "/platform/assets", label: "Assets" },
  { href: "/platform/sessions", label: "Sessions" },
  { href: "/platform/api-keys", label: "API keys" },
  { href: "/platform/billing", label: "Billing" },
  { href: "/platform/usage", label: "Usage" },
  { href: "/platform/settings", label: "Settings" },
] as const;

export function PlatformNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Platform">
      {LINKS.map((link) => {
        const current = link.href === "/platform" ? pathname === link.href : pathname.startsWith(link.href);
        return (
          <Link key={link.href} href={link.href} aria-current={current ? "page" : undefined}>
            {link.label}
          </Link>
        );
      })}
    </nav>
  );
}
