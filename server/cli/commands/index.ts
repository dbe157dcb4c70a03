import type { CliCommand } from "../command";

/** Every `tic-avatar` subcommand, loaded lazily so one command's dependencies never slow another. */
export const commands: Record<string, () => Promise<{ default: CliCommand }>> = {
  serve: () => import("./serve"),
  worker: () => import("./worker"),
  admin: () => import("./admin"),
  visemes: () => import("./visemes"),
  lipsync: () => import("./lipsync"),
  migrate: () => import("./migrate"),
};
