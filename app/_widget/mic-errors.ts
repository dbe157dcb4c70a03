import { WidgetError } from "./session-source";

// Why the microphone did not open, in words a visitor can act on. Checked before asking where the
// answer is known (insecure page, an iframe without allow="microphone"), else read from the error.

/** Throws the reason the microphone cannot be asked for here, if there is one. */
export function assertMicrophoneAllowed(): void {
  if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) throw new WidgetError("mic_insecure_context", "The microphone needs a secure page (https://). This page is not one.");
  const policy = (document as { permissionsPolicy?: { allowsFeature(f: string): boolean }; featurePolicy?: { allowsFeature(f: string): boolean } });
  const allows = (policy.permissionsPolicy ?? policy.featurePolicy)?.allowsFeature("microphone");
  if (allows === false) throw new WidgetError("mic_blocked_by_iframe", 'This page embeds the avatar in a frame without microphone access: add allow="microphone" to the <iframe>.');
}

/** A getUserMedia failure as a coded widget error. */
export function microphoneError(e: unknown): WidgetError {
  const name = (e as { name?: string })?.name;
  if (name === "NotAllowedError" || name === "SecurityError") return new WidgetError("mic_denied", "Microphone access was denied. Allow it in the browser's address bar, then press Talk again.");
  if (name === "NotFoundError" || name === "OverconstrainedError") return new WidgetError("mic_not_found", "No microphone was found. Connect one, then press Talk again.");
  if (name === "NotReadableError" || name === "AbortError") return new WidgetError("mic_busy", "The microphone is in use by another application or could not start.");
  return new WidgetError("mic_failed", `The microphone could not start (${(e as Error)?.message ?? String(e)}).`);
}
