"use client";
import { useQuery } from "@tanstack/react-query";
import { errorMessage, useTRPC } from "../../../../_trpc/client";

// While the video is prepared the plan answers "queued"; poll until it is ready.
const POLL_MS = 2000;

/** A source-video avatar's preparation progress, its plan (resting loop, output) and a preview of the loop. */
export function VideoCachePanel({ avatarId }: { avatarId: string }) {
  const trpc = useTRPC();
  const cache = useQuery({
    ...trpc.avatars.videoCache.queryOptions({ id: avatarId }),
    refetchInterval: (q) => (q.state.data?.status === "ready" || q.state.error ? false : POLL_MS),
  });
  if (cache.error) return <p className="error" data-testid="video-cache-error">{errorMessage(cache.error)}</p>;
  const data = cache.data;
  const plan = data?.plan;
  return (
    <div className="card" data-testid="video-cache">
      <h2>Source video</h2>
      <p>
        Plan: <span className={`badge status-${data?.status ?? "draft"}`} data-testid="video-cache-status">{data ? data.status : "loading"}</span>{" "}
        <span className="muted">{data?.status === "queued" ? (plan ? "rendering the loop…" : "analysing the video (face tracking, cuts, loop)…") : ""}</span>
      </p>
      {plan && (
        <p className="muted" data-testid="video-cache-plan">
          Resting loop {plan.loop.startSec}–{plan.loop.endSec} s ({plan.loop.mode === "cut" ? "seamless cut" : "ping-pong"}), {plan.output.size} px at {plan.output.fps} fps;
          mouth closed on {plan.mouthClosed.filter(Boolean).length} of {plan.mouthClosed.length} frames.
        </p>
      )}
      {data?.loopUrl && (
        <video src={data.loopUrl} autoPlay loop muted playsInline data-testid="video-cache-preview" style={{ width: "100%", maxWidth: 360, borderRadius: 8 }} />
      )}
    </div>
  );
}
