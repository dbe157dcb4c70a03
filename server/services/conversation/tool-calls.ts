import "server-only";

// Function calls run in the client: the loop sends `response.function_call` and waits for the
// client's `function_call_output`. A client that does not answer in time (or at all) must not stall
// the avatar: after TOOL_RESULT_TIMEOUT_MS the call counts as failed and the model is told so.

/** How long the client has to answer a function call. */
export const TOOL_RESULT_TIMEOUT_MS = 2_500;

/** What the model is told when the client did not answer in time. */
export const TOOL_TIMEOUT_OUTPUT = JSON.stringify({ error: "The function did not return a result within 2.5 seconds; it failed. Tell the user you could not do it." });

export class ToolCalls {
  private readonly waiting = new Map<string, (output: string | null) => void>();

  /** The client's output for `callId`, or null when it did not come within `timeoutMs` (or the reply was aborted). */
  wait(callId: string, signal: AbortSignal, timeoutMs = TOOL_RESULT_TIMEOUT_MS): Promise<string | null> {
    return new Promise((resolve) => {
      const done = (output: string | null) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        this.waiting.delete(callId);
        resolve(output);
      };
      const onAbort = () => done(null);
      const timer = setTimeout(() => done(null), timeoutMs);
      if (signal.aborted) return done(null);
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiting.set(callId, done);
    });
  }

  /** Hands the client's output to the waiting call; false when none waits for `callId` (unknown or too late). */
  resolve(callId: string, output: string): boolean {
    const waiter = this.waiting.get(callId);
    if (!waiter) return false;
    waiter(output);
    return true;
  }
}
