// Source-video avatars on the embedded database (the refusals run once, on PostgreSQL).
import { vi } from "vitest";
import { videoAvatarSuite } from "./testing/video-avatar-suite";

vi.hoisted(() => {
  process.env.LOG_LEVEL ??= "silent";
});

videoAvatarSuite("pglite", { refusals: false });
