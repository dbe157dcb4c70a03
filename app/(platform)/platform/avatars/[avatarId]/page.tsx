import Link from "next/link";
import { serverApi } from "@/server/api/caller";
import { getEnv } from "@/server/env";
import { SpeakPanel } from "./speak-panel";
import { VideoCachePanel } from "./video-cache-panel";

export const dynamic = "force-dynamic";

export default async function AvatarPage({ params }: { params: Promise<{ avatarId: string }> }) {
  const { avatarId } = await params;
  const api = await serverApi();
  const avatar = await api.avatars.get({ id: avatarId });
  return (
    <>
      <p>
        <Link href="/platform/avatars">← Avatars</Link>
      </p>
      <h1 data-testid="avatar-title">{avatar.displayName}</h1>
      <p>
        <span className={`badge status-${avatar.status}`} data-testid="avatar-detail-status">{avatar.status}</span>{" "}
        <span className="muted">{avatar.modelId}</span> <code>{avatar.id}</code>
        {avatar.cacheVersion > 0 && <span className="muted"> · rig v{avatar.cacheVersion}</span>}
      </p>
      {avatar.failureReason && <p className="error" data-testid="avatar-failure">{avatar.failureReason}</p>}
      {avatar.sourceKind === "video" ? (
        avatar.status === "failed" || avatar.status === "disabled" ? (
          <div className="card" data-testid="avatar-not-ready">
            {avatar.status === "failed" ? "This video could not be prepared; create an avatar from another clip (see the reason above)." : `This avatar is ${avatar.status}.`}
          </div>
        ) : (
          <>
            <VideoCachePanel avatarId={avatar.id} />
            {avatar.status === "ready" && <SpeakPanel avatarId={avatar.id} testHooks={getEnv().ENABLE_LAB} />}
          </>
        )
      ) : avatar.status === "ready" ? (
        <SpeakPanel avatarId={avatar.id} testHooks={getEnv().ENABLE_LAB} />
      ) : (
        <div className="card" data-testid="avatar-not-ready">
          {avatar.status === "preprocessing" || avatar.status === "draft"
            ? "The portrait is being prepared for realtime; reload in a few seconds."
            : avatar.status === "failed"
              ? "This portrait could not be prepared; create an avatar from another photo."
              : `This avatar is ${avatar.status}.`}
        </div>
      )}
    </>
  );
}
