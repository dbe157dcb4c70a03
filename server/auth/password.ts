import "server-only";
import { hash, verify } from "@node-rs/argon2";

// argon2id with OWASP's 2024 minimum (19 MiB, 2 passes): ~30 ms here, slow enough for offline attacks.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** argon2id hash of a password (PHC string). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// Verifying against this keeps an unknown email as slow as a wrong password, so timing reveals nothing.
let dummyHash: Promise<string> | undefined;

/** True when the password matches; runs a full verify even when there is no stored hash. */
export async function verifyPassword(stored: string | null | undefined, password: string): Promise<boolean> {
  dummyHash ??= hashPassword("not-a-real-password-0");
  const target = stored ?? (await dummyHash);
  const ok = await verify(target, password).catch(() => false);
  return ok && stored != null;
}
