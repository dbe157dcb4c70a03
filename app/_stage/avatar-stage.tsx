"use client";

import type { ReactNode } from "react";
import type { useAvatarStage } from "./use-avatar-stage";

type Stage = ReturnType<typeof useAvatarStage>;

/** The stage's canvas host and status line; each page words its own status and names its test ids. */
export function AvatarStage({ stage, size, testId, statusTestId, preparing, ready }: {
  stage: Stage;
  size: number;
  testId: string;
  statusTestId: string;
  preparing: ReactNode;
  /** The status once the renderer runs (the fallback reason is appended). */
  ready: (s: Extract<Stage["state"], { phase: "ready" }>) => ReactNode;
}) {
  const { state } = stage;
  return (
    <>
      <div ref={stage.host} data-testid={testId} style={{ minHeight: size }} />
      <p className="muted" data-testid={statusTestId}>
        {state.phase === "preparing" && preparing}
        {state.phase === "error" && <span className="error">{state.message}</span>}
        {state.phase === "ready" && <>{ready(state)}{state.fallbackReason ? ` (not on WebGPU: ${state.fallbackReason})` : ""}</>}
      </p>
      {state.phase === "ready" && state.warnings.map((w) => <p key={w} className="muted">{w}</p>)}
    </>
  );
}
