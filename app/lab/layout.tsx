import type { ReactNode } from "react";
import { notFound } from "next/navigation";
import { getEnv } from "@/server/env";

// Decided per request by the running server (ENABLE_LAB), not frozen into the build.
export const dynamic = "force-dynamic";

/** The lab's test benches exist only where ENABLE_LAB is set; elsewhere every /lab path is a 404. */
export default function LabLayout({ children }: { children: ReactNode }) {
  if (!getEnv().ENABLE_LAB) notFound();
  return children;
}
