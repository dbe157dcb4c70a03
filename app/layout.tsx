import type { Metadata } from "next";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "TIC Realtime Avatar", template: "%s · TIC Realtime Avatar" },
  description: "Turn a portrait into a live talking face, rendered on the viewer's GPU.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
