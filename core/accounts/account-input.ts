import { z } from "zod";
import { storableText } from "../text/storable";

// Shared by the sign-up form (instant feedback) and the server (the authority).
export const MAX_EMAIL = 254;
export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 128;

const COMMON = new Set(["password123", "1234567890", "qwertyuiop", "letmein123", "password1234", "iloveyou12", "welcome123", "admin12345"]);

export const emailSchema = z
  .string({ error: "Email is required." })
  .trim()
  .toLowerCase()
  .max(MAX_EMAIL, `Email must be at most ${MAX_EMAIL} characters.`)
  .pipe(z.email({ error: "Enter a valid email address, like name@example.com." }));

export const passwordSchema = z
  .string({ error: "Password is required." })
  .min(MIN_PASSWORD, `Password must be at least ${MIN_PASSWORD} characters.`)
  .max(MAX_PASSWORD, `Password must be at most ${MAX_PASSWORD} characters.`)
  .refine((p) => /[a-zA-Z]/.test(p) && /[^a-zA-Z]/.test(p), "Password must mix letters with digits or symbols.")
  .refine((p) => !COMMON.has(p.toLowerCase()) && new Set(p).size >= 4, "That password is too easy to guess; choose another.");

export const personNameSchema = storableText.trim().min(1, "Name is required.").max(100, "Name must be at most 100 characters.");
export const tenantNameSchema = storableText
  .trim()
  .min(1, "Workspace name is required.")
  .max(80, "Workspace name must be at most 80 characters.");

export const signUpInput = z.object({
  name: personNameSchema,
  email: emailSchema,
  password: passwordSchema,
  tenantName: tenantNameSchema.optional(),
});
export type SignUpInput = z.infer<typeof signUpInput>;

export const signInInput = z.object({
  // Only stored text can match a stored email; anything else is a failed sign-in, never a database error.
  email: storableText.trim().toLowerCase().max(MAX_EMAIL),
  password: z.string().max(MAX_PASSWORD),
});

/** Start of what password sign-in answers while attempts are throttled; the sign-in form shows it as is. */
export const SIGN_IN_THROTTLED = "Too many sign-in attempts";

/** The throttled sign-in message: the same for every email, registered or not. */
export function signInThrottledMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return `${SIGN_IN_THROTTLED}; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
}
