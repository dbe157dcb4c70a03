import "server-only";
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { AppError } from "../errors";
import { processAlive } from "../ops/process-alive";

// One process at a time opens a PGlite folder. It claims the folder by creating `owner.json` in the
// folder's run directory (`<folder>.run/`, beside it) exclusively; a server that shares the database
// adds the endpoint other processes connect to. Everyone else reads the record: an endpoint that
// answers means "connect there"; a live owner without one (a CLI command, or a server still opening)
// means "wait"; a dead owner (crash, SIGKILL) leaves a stale record, which the next claimant removes.

/** Where node-postgres reaches a sharing owner: a unix-socket folder (port names the socket file in it) or 127.0.0.1. */
export type Endpoint = { host: string; port: number };
type OwnerRecord = { pid: number; token: string; endpoint?: Endpoint };

/** This process holds the folder: it may advertise an endpoint, and must release the claim when done. */
export type Ownership = { kind: "owner"; runDir: string; advertise: (endpoint: Endpoint | undefined) => void; release: () => void };
/** Another process shares the folder at `endpoint`. */
export type Guest = { kind: "guest"; endpoint: Endpoint };

const UNPARSABLE_GRACE_MS = 5_000; // a record is written right after its file is created; older and empty is a crash
const TAKEOVER_LOCK_STALE_MS = 10_000;
const POLL_MS = 100;
const heldTokens = new Set<string>(); // records this process wrote; another with our pid is a reused pid's

/** The run directory of a PGlite folder: its owner record and, on unix, the socket it is shared on. */
export function runDirOf(pgliteDir: string): string {
  return `${pgliteDir}.run`;
}

/** Claims the folder, or finds the process that shares it; waits up to `waitMs` for an owner that does not share. */
export async function claimFolder(pgliteDir: string, options: { waitMs?: number } = {}): Promise<Ownership | Guest> {
  const runDir = runDirOf(pgliteDir);
  const file = join(runDir, "owner.json");
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  const deadline = Date.now() + (options.waitMs ?? 30_000);
  for (;;) {
    const token = randomUUID();
    try {
      writeFileSync(file, JSON.stringify({ pid: process.pid, token } satisfies OwnerRecord), { flag: "wx", mode: 0o600 });
      return ownership(runDir, file, token);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const seen = readRecord(file);
    if (!seen) continue; // released meanwhile
    const state = await assess(seen);
    if (state.kind === "serving") return { kind: "guest", endpoint: state.endpoint };
    if (state.kind === "stale") {
      if (!takeOver(runDir, file, seen.raw)) await new Promise((r) => setTimeout(r, POLL_MS));
      continue;
    }
    if (Date.now() >= deadline) {
      throw new AppError("unavailable", `The embedded database ${pgliteDir} is held by process ${state.pid}, which does not share it (a tic-avatar command, or a server still starting). Wait for it to finish, or stop it.`, { retryable: true });
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

function ownership(runDir: string, file: string, token: string): Ownership {
  heldTokens.add(token);
  const write = (record: OwnerRecord) => {
    const tmp = `${file}.${token}.tmp`;
    writeFileSync(tmp, JSON.stringify(record), { mode: 0o600 });
    renameSync(tmp, file); // readers see the old record or the new one, never half of one
  };
  const release = () => {
    process.off("exit", release);
    if (!heldTokens.delete(token)) return;
    if (readRecord(file)?.record?.token === token) rmSync(file, { force: true });
  };
  // A server stopped by process.exit (next-server on SIGTERM) runs no async cleanup; this is synchronous.
  process.on("exit", release);
  return { kind: "owner", runDir, advertise: (endpoint) => write({ pid: process.pid, token, endpoint }), release };
}

type Seen = { raw: string; record?: OwnerRecord; mtimeMs: number };

function readRecord(file: string): Seen | null {
  try {
    const raw = readFileSync(file, "utf8");
    const mtimeMs = statSync(file).mtimeMs;
    try {
      return { raw, record: JSON.parse(raw) as OwnerRecord, mtimeMs };
    } catch {
      return { raw, mtimeMs };
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}

type State = { kind: "serving"; endpoint: Endpoint } | { kind: "busy"; pid: number | "unknown" } | { kind: "stale" };

async function assess(seen: Seen): Promise<State> {
  const { record } = seen;
  if (!record) return Date.now() - seen.mtimeMs > UNPARSABLE_GRACE_MS ? { kind: "stale" } : { kind: "busy", pid: "unknown" };
  const reusedPid = record.pid === process.pid && !heldTokens.has(record.token);
  if (reusedPid || !processAlive(record.pid)) return { kind: "stale" };
  if (!record.endpoint) return { kind: "busy", pid: record.pid };
  // A live owner always listens on its endpoint (it withdraws it before closing), so a refused connection
  // means the pid now belongs to another process.
  return (await answers(record.endpoint)) ? { kind: "serving", endpoint: record.endpoint } : { kind: "stale" };
}

/** The socket path (or TCP address) node-postgres dials for an endpoint. */
export function socketOf(endpoint: Endpoint): { path: string } | { host: string; port: number } {
  return endpoint.host.startsWith("/") ? { path: join(endpoint.host, `.s.PGSQL.${endpoint.port}`) } : endpoint;
}

function answers(endpoint: Endpoint): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(socketOf(endpoint));
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(2_000, () => finish(true)); // a listener that is slow to accept is still alive
    socket.once("connect", () => finish(true));
    socket.once("error", () => finish(false));
  });
}

// Removing a stale record races with other claimants removing it too and one of them claiming anew;
// a short lock around "is it still the stale one? remove it" keeps a fresh record from being removed.
function takeOver(runDir: string, file: string, staleRaw: string): boolean {
  const lock = join(runDir, "takeover.lock");
  try {
    writeFileSync(lock, String(process.pid), { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > TAKEOVER_LOCK_STALE_MS) rmSync(lock, { force: true });
    return false;
  }
  try {
    if (readRecord(file)?.raw !== staleRaw) return false;
    rmSync(file, { force: true });
    return true;
  } finally {
    rmSync(lock, { force: true });
  }
}
