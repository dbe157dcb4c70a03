import type { Metadata } from "next";
import { RenderLab } from "./render-lab";

export const metadata: Metadata = { title: "Render lab", robots: { index: false } };

/** Test bench page for the portrait renderer: tier, frame pixels and timings for Playwright. */
export default function RenderLabPage() {
  return (
    <main style={{ padding: 16 }}>
      <h1>Render lab</h1>
      <RenderLab />
    </main>
  );
}
