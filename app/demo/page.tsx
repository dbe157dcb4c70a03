import type { Metadata } from "next";
import { getEnv } from "@/server/env";
import { DemoApp } from "./demo-app";
import styles from "./demo.module.css";

// Rendered per request: whether the test hook is installed is the running server's setting, not the build's.
export const dynamic = "force-dynamic";

export const metadata: Metadata = {
  title: "Demo",
  description: "A portrait speaks in your browser: lipsync and rendering on your own device, no sign-in.",
};

/** Public demo: signed-out, free, rendered on the viewer's device. */
export default function DemoPage() {
  return (
    <main className={styles.page}>
      <h1>Talking portrait demo</h1>
      <p className="muted">Press play: the astronaut speaks the sample clip. Or upload a portrait, an audio file, or record your voice.</p>
      <DemoApp testHooks={getEnv().ENABLE_LAB} />
    </main>
  );
}
