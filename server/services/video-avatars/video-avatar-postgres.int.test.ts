// Source-video avatars on PostgreSQL: preparation, plan, turn and lipsync, and every refusal.
import { vi } from "vitest";
import { videoAvatarSuite } from "./testing/video-avatar-suite";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

videoAvatarSuite("postgres", { refusals: true });
