import "server-only";
import { openConversation } from "@/server/services/conversation";
import type { UpgradeBridge } from "@/server/http/process-bridge";
import { createSessionUpgrade } from "./upgrade";

/** The production upgrade handler: session sockets driving the conversation loop. */
export function sessionUpgradeBridge(): UpgradeBridge {
  return createSessionUpgrade(openConversation);
}
