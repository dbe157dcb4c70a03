import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getDb } from "@/server/db/client";
import { AppError } from "@/server/errors";
import { assetDepsFromEnv } from "@/server/services/assets";
import { publicVideo } from "@/server/services/videos";
import styles from "./viewer.module.css";

// A video's viewer (`html_url`), public by link like its MP4: the unguessable id is the capability
// (docs/videos.md). Opening it first renders a delayed video, billed to the workspace that made it.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const maxDuration = 300;

type Props = { params: Promise<{ videoId: string }> };

export const metadata: Metadata = { title: "Video", robots: { index: false, follow: false }, referrer: "no-referrer" };

export default async function VideoViewer({ params }: Props) {
  const { videoId } = await params;
  let row;
  try {
    row = await publicVideo(await getDb(), videoId, assetDepsFromEnv());
  } catch (error) {
    // A delayed video whose render was refused (credits, its audio URL): say why; it stays delayed.
    if (!(error instanceof AppError) || error.kind === "not_found") throw error;
    return (
      <main className={styles.page}>
        <h1>This video could not be made yet</h1>
        <p data-testid="video-error">{error.message}</p>
      </main>
    );
  }
  if (!row) notFound();
  const mp4 = `/v/${row.id}/video.mp4`;
  const seconds = row.durationMs === null ? null : (row.durationMs / 1000).toFixed(1);
  return (
    <main className={styles.page}>
      <video className={styles.video} data-testid="video" src={mp4} controls playsInline preload="auto" width={384} height={384} />
      {row.text ? <p className={styles.text}>{row.text}</p> : null}
      <p className="muted">
        {seconds ? `${seconds} s · ` : ""}
        <a href={mp4} download={`${row.id}.mp4`} data-testid="download">
          Download MP4
        </a>
      </p>
    </main>
  );
}
