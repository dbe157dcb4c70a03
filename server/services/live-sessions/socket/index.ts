import "server-only";
import { openConversation } from "@/server/services/conversation";
import { createSessionUpgrade, type SessionUpgrade } from "./upgrade";

/** The production upgrade handler: session sockets driving the conversation loop. */
export function sessionUpgradeBridge(): SessionUpgrade {
  return createSessionUpgrade(openConversation);
}
