import { randomUUID } from "node:crypto";
import { createReadStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finished, startCli } from "@/server/cli/testing/run-cli";
import type { Db } from "@/server/db/client";
import { ACTIVE_TENANT_COOKIE } from "@/server/api/active-tenant";
import { createCaller } from "@/server/api/root";
import { assets, avatars, memberships, reservations, usageEvents, users } from "@/server/db/schema";
import { createPgDatabase, mintKey, seedTenant } from "@/server/http/testing/test-api";
import { resetProcessState } from "@/server/process-state";
import { checkPublicAddress } from "@/server/services/net/ip-address";
import { createPortraitAvatar, loadRoutes, testWallet, uploadImage, type Routes } from "@/server/services/realtime/testing/turn-fixture";
import { grantCredits } from "@/server/services/credits/ledger";
import { listJobs } from "../admin";
import { jobIdFor } from "../queue";
import { startWorkerProcess, type WorkerProcess } from "./worker-process";

// The durable-jobs acceptance, on one database kind: the process running the API (this one, with
// JOBS_IN_PROCESS=false) queues work and never does it; `tic-avatar worker` processes do, and one
// SIGKILLed mid-job has its job finished by another. Short leases keep the re-pick within seconds.

/** Job settings shared by this process (which stamps them on the jobs it sends) and its workers. */
export const JOB_ENV = { JOBS_IN_PROCESS: "false", JOBS_LEASE_SECONDS: "3", JOBS_SWEEP_SECONDS: "1", JOBS_RETRY_DELAY_SECONDS: "0", JOBS_POLL_SECONDS: "0.5" };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 90_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got) return got;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Registers the suite; `kind` picks the database this process opens (and shares, when embedded). */
export function jobsSuite(kind: "pglite" | "postgres") {
  const scratch = mkdtempSync(join(tmpdir(), `tic-jobs-${kind}-`));
  const storageDir = join(scratch, "storage");
  let db: Db;
  let routes: Routes;
  let dbEnv: Record<string, string>;
  let drop = async () => {};
  let caller: { tenantId: string; key: string };
  const workers: WorkerProcess[] = [];
  let rigCaches = 0;

  // Each worker gets its own rig cache folder, so that every build is a real one.
  const worker = async () => {
    const w = await startWorkerProcess({ ...JOB_ENV, ...dbEnv, STORAGE_DIR: storageDir, TIC_RIG_CACHE_DIR: join(scratch, `rigs-${rigCaches++}`) });
    workers.push(w);
    return w;
  };
  const avatar = async (id: string) => (await db.select().from(avatars).where(eq(avatars.id, id)))[0]!;
  const prepareJobOf = async (avatarId: string) => (await listJobs(db, { type: "prepare-avatar", tenantId: caller.tenantId })).find((j) => j.subject === avatarId);

  beforeAll(async () => {
    Object.assign(process.env, JOB_ENV, { STORAGE_DIR: storageDir, TIC_RIG_CACHE_DIR: join(scratch, "rigs-api"), AUTH_SECRET: "test-secret-at-least-16-chars" });
    if (kind === "postgres") {
      const created = await createPgDatabase();
      process.env.DATABASE_URL = created.url;
      dbEnv = { DATABASE_URL: created.url };
      drop = created.drop;
    } else {
      delete process.env.DATABASE_URL;
      process.env.PGLITE_DATA_DIR = join(scratch, "pglite");
      dbEnv = { PGLITE_DATA_DIR: process.env.PGLITE_DATA_DIR };
    }
    const { getDb } = await import("@/server/db/client");
    db = await getDb(); // an embedded folder is opened here and shared with the workers
    routes = await loadRoutes();
    const tenant = await seedTenant(db, { plan: "enterprise" });
    caller = { tenantId: tenant.id, key: (await mintKey(db, tenant.id)).apiKey };
    await grantCredits(db, { tenantId: tenant.id, environment: "test", amountMicros: 600_000_000, reason: "test grant" });
  });

  afterAll(async () => {
    for (const w of workers) await w.kill("SIGKILL");
    await resetProcessState();
    await drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  describe(`durable jobs on ${kind}`, () => {
    let readyAvatar: string;
    let lostAvatar: string; // its portrait's file is gone: every preparation of it fails

    it("a preparation queued through the API is done by a separate worker process, not by the API's", async () => {
      const id = await createPortraitAvatar(routes, caller.key);
      await sleep(1_500);
      expect((await avatar(id)).status).toBe("draft"); // queued: nothing in this process takes it
      const w = await worker();
      const done = await until("the avatar to be ready", async () => ((await avatar(id)).status === "ready" && (await prepareJobOf(id))?.state === "completed" ? avatar(id) : undefined));
      expect(done.cacheManifestId).toMatch(/^man_/);
      expect(await prepareJobOf(id)).toMatchObject({ state: "completed", attempts: 1, error: null });
      readyAvatar = id;
      await w.kill("SIGTERM");
      expect(w.child.exitCode).toBe(0);
    });

    it("a worker SIGKILLed mid-job has its job finished by another worker, one lease later", async () => {
      const a = await worker();
      const id = await createPortraitAvatar(routes, caller.key);
      await until("worker A to take the job", async () => (await prepareJobOf(id))?.state === "active" && (await avatar(id)).status === "preprocessing", 30_000, 20);
      await a.kill("SIGKILL");
      const killedAt = Date.now();
      expect((await avatar(id)).status).toBe("preprocessing");
      await sleep(500);
      expect((await prepareJobOf(id))?.state).toBe("active"); // nobody renews it now; it waits out its lease
      const b = await worker();
      await until("worker B to finish it", async () => (await avatar(id)).status === "ready" && (await prepareJobOf(id))?.state === "completed");
      // Lease 3 s + sweep 1 s + poll, then a real build: well inside this bound.
      expect(Date.now() - killedAt).toBeLessThan(60_000);
      expect(await prepareJobOf(id)).toMatchObject({ state: "completed", attempts: 2 });
      const manifests = await db.execute(sql`select count(*)::int as n from avatar_manifests where avatar_id = ${id}`);
      expect(rowsOf<{ n: number }>(manifests)[0]!.n).toBe(1); // one result
      await b.kill("SIGTERM");
    });

    it("a job that keeps failing ends failed with its error: in the admin CLI, and on the avatar", async () => {
      const w = await worker();
      const assetId = await uploadImage(caller.key, readFileSync(join(process.cwd(), "public/demo/astronaut.png")));
      const [asset] = await db.select().from(assets).where(eq(assets.id, assetId));
      rmSync(join(storageDir, asset!.storageKey)); // every attempt now fails reading the portrait
      const res = await (await import("@/server/http/testing/test-api")).callRoute(routes.createAvatar, {
        method: "POST",
        path: "/api/v1/avatars",
        key: caller.key,
        body: { displayName: "Lost portrait", sourceKind: "image", sourceAssetId: assetId },
      });
      const id = ((await res.json()) as { id: string }).id;
      lostAvatar = id;
      const failed = await until("the avatar to fail", async () => ((await avatar(id)).status === "failed" ? avatar(id) : undefined), 60_000);
      expect(failed.failureReason).toMatch(/^preparation failed: /);
      const job = await until("the job to fail", async () => ((await prepareJobOf(id))?.state === "failed" ? prepareJobOf(id) : undefined), 30_000);
      expect(job.attempts).toBe(4); // the first and RETRY_LIMIT (3) retries
      expect(job.error).toMatch(/source image is missing from storage/);
      const cli = await finished(startCli(["admin", "jobs", "--state", "failed", "--type", "prepare-avatar"], { env: { ...dbEnv, STORAGE_DIR: storageDir } }));
      expect(cli.code, cli.stderr).toBe(0);
      const listed = cli.stdout.trim().split("\n").map((l) => JSON.parse(l) as { subject: string; error: string });
      expect(listed.find((j) => j.subject === id)?.error).toBe(job.error);
      // The dashboard (Usage page) lists it for the workspace's members.
      const [owner] = await db.select({ id: users.id, email: users.email }).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(eq(memberships.tenantId, caller.tenantId));
      const api = createCaller({ db, user: { ...owner!, name: null }, headers: new Headers({ cookie: `${ACTIVE_TENANT_COOKIE}=${caller.tenantId}` }), resHeaders: new Headers() });
      expect((await api.usage.failedJobs()).find((j) => j.subject === id)).toMatchObject({ type: "prepare-avatar", attempts: 4, error: job.error });
      await w.kill("SIGTERM");
    });

    // Lipsync audio from a local origin, which the production address policy refuses: these jobs run
    // with a policy that allows it (a worker of this process, or the handler called directly).
    const audio = readFileSync(join(process.cwd(), "public/demo/speech.wav"));
    const origin: Server = createServer((_req, res) => res.writeHead(200, { "content-length": audio.length }).end(audio));
    let port = 0;
    const lipsyncJob = async () => {
      const { lipsyncRenderJob } = await import("../handlers/lipsync-render");
      const { assetDepsFromEnv } = await import("@/server/services/assets");
      return lipsyncRenderJob(() => ({ ...assetDepsFromEnv(), policy: (address, p) => (address === "127.0.0.1" && p === port ? { ok: true } : checkPublicAddress(address)) }));
    };
    beforeAll(async () => {
      await new Promise<void>((r) => origin.listen(0, "127.0.0.1", r));
      port = (origin.address() as AddressInfo).port;
    });
    afterAll(() => new Promise((r) => origin.close(r)));

    it("a lipsync request whose job keeps failing answers 502 with the reason, after its retries", async () => {
      const { startWorker } = await import("../worker");
      const { requestLipsync } = await import("@/server/services/realtime/lipsync-request");
      const w = await startWorker(db, { handlers: { "lipsync-render": await lipsyncJob() }, concurrency: 1 });
      try {
        const who = { tenantId: caller.tenantId, environment: "test" as const, apiKeyId: null };
        const err = await requestLipsync(db, who, { audioUrl: `http://127.0.0.1:${port}/speech.wav`, avatarId: lostAvatar }, "http://app.test").then(
          () => null,
          (e: unknown) => e as { code: string; status: number; message: string },
        );
        expect(err).toMatchObject({ code: "upstream_failed", status: 502 });
        expect(err!.message).toMatch(/failed after 3 attempts: The avatar's source image is missing from storage/);
        const [job] = await listJobs(db, { type: "lipsync-render", state: "failed", tenantId: caller.tenantId });
        expect(job).toMatchObject({ attempts: 3, subject: lostAvatar });
      } finally {
        await w.stop(5_000);
      }
    });

    it("a lipsync job run twice leaves one video and one charge", async () => {
      const { assetDepsFromEnv } = await import("@/server/services/assets");
      const job = await lipsyncJob();
      const data = { caller: { tenantId: caller.tenantId, environment: "test" as const, apiKeyId: null }, input: { audioUrl: `http://127.0.0.1:${port}/speech.wav`, avatarId: readyAvatar }, baseUrl: "http://app.test" };
      const ctx = { jobId: randomUUID(), attempt: 1, final: false, signal: new AbortController().signal };
      const before = await testWallet(db, caller.tenantId);
      const first = await job.run(db, data, ctx);
      const second = await job.run(db, data, { ...ctx, attempt: 2 });
      expect(first).toMatchObject({ ok: { avatarId: readyAvatar, fps: 25 } });
      expect(second).toEqual(first);
      const videos = await db.select().from(assets).where(and(eq(assets.tenantId, caller.tenantId), sql`${assets.metadata}->'lipsync'->>'jobId' = ${ctx.jobId}`));
      expect(videos).toHaveLength(1);
      const charges = await db.select().from(usageEvents).where(and(eq(usageEvents.tenantId, caller.tenantId), eq(usageEvents.kind, "lipsync")));
      expect(charges).toHaveLength(1);
      const settled = await db.select().from(reservations).where(and(eq(reservations.tenantId, caller.tenantId), eq(reservations.status, "settled")));
      expect(settled).toHaveLength(1);
      const after = await testWallet(db, caller.tenantId);
      expect(before.availableMicros - after.availableMicros).toBe(charges[0]!.creditMicros);

      // An attempt that died between storing its video and billing it: the retry bills it once, renders nothing.
      const { receiveToTempFile } = await import("@/server/services/assets/receive");
      const { storeReceived } = await import("@/server/services/assets/assets");
      const deps = assetDepsFromEnv();
      const file = await receiveToTempFile(createReadStream(join(storageDir, videos[0]!.storageKey)), { limits: deps.limits, expectedKind: () => "video" });
      const orphanJob = randomUUID();
      const meta = (videos[0]!.metadata as { lipsync: { frames: number; micros: number } }).lipsync;
      const orphan = await storeReceived(db, caller.tenantId, file, { expectedKind: () => "video", metadata: { lipsync: { avatarId: readyAvatar, audioUrl: data.input.audioUrl, frames: meta.frames, micros: meta.micros, jobId: orphanJob } } }, deps);
      const retried = await job.run(db, data, { ...ctx, jobId: orphanJob, attempt: 2 });
      expect(retried).toMatchObject({ ok: { url: `http://app.test/files/${orphan.publicToken}` } });
      await job.run(db, data, { ...ctx, jobId: orphanJob, attempt: 3 });
      const chargesNow = await db.select().from(usageEvents).where(and(eq(usageEvents.tenantId, caller.tenantId), eq(usageEvents.kind, "lipsync")));
      expect(chargesNow).toHaveLength(2); // the first job's and the orphan's, once each
      expect(chargesNow[1]!.creditMicros).toBe(charges[0]!.creditMicros);
    });

    it("a client that gives up stops waiting, not the render: the same Idempotency-Key then joins the job for its answer", async () => {
      const { startWorker } = await import("../worker");
      const { requestLipsync } = await import("@/server/services/realtime/lipsync-request");
      const w = await startWorker(db, { handlers: { "lipsync-render": await lipsyncJob() }, concurrency: 1 });
      const lipsyncCharges = async () => (await db.select().from(usageEvents).where(and(eq(usageEvents.tenantId, caller.tenantId), eq(usageEvents.kind, "lipsync")))).length;
      try {
        const before = await lipsyncCharges();
        const who = { tenantId: caller.tenantId, environment: "test" as const, apiKeyId: null, idempotencyKey: `idem-${randomUUID()}` };
        const input = { audioUrl: `http://127.0.0.1:${port}/speech.wav`, avatarId: readyAvatar };
        const leaving = new AbortController();
        setTimeout(() => leaving.abort(new Error("client left")), 300);
        await expect(requestLipsync(db, who, input, "http://app.test", leaving.signal)).rejects.toThrow("client left");
        const again = await requestLipsync(db, who, input, "http://app.test");
        expect(again).toMatchObject({ avatarId: readyAvatar, fps: 25 });
        // Both requests were answered by the one job the key names, rendered once.
        const shared = (await listJobs(db, { type: "lipsync-render", tenantId: caller.tenantId })).filter((j) => j.id === jobIdFor("lipsync", caller.tenantId, "", who.idempotencyKey));
        expect(shared).toEqual([expect.objectContaining({ state: "completed", attempts: 1 })]);
        expect(await lipsyncCharges()).toBe(before + 1); // one render, billed once, for both requests
      } finally {
        await w.stop(5_000);
      }
    });
  });
}

function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? (result as T[])) as T[];
}
