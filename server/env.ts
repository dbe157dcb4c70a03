import "server-only";
import { z } from "zod";

// Every environment variable the server reads, parsed once. Add new ones here and to the README table.
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  PGLITE_DATA_DIR: z.string().default("data/pglite"),
  DATA_DIR: z.string().default("data"),
  AUTH_SECRET: z.string().min(16, "must be at least 16 characters (openssl rand -base64 32)"),
  AUTH_GITHUB_ID: z.string().optional(),
  AUTH_GITHUB_SECRET: z.string().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  APP_VERSION: z.string().optional(),
});

export type Env = z.infer<typeof schema>;

let cached: Env | undefined;

/** Parsed environment; throws naming every missing or invalid variable. */
export function getEnv(source: NodeJS.ProcessEnv = process.env): Env {
  if (cached && source === process.env) return cached;
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid or missing environment variables:\n${problems}\nSee the configuration table in README.md.`);
  }
  if (source === process.env) cached = parsed.data;
  return parsed.data;
}

/** Which database driver the environment selects. */
export function databaseKind(url: string | undefined): "pglite" | "neon" | "postgres" {
  if (!url) return "pglite";
  const host = new URL(url).hostname;
  return host.endsWith(".neon.tech") || host.endsWith(".neon.build") ? "neon" : "postgres";
}
