import "reflect-metadata";
import path from "node:path";
import type { ApolloServer, GraphQLRequest } from "@apollo/server";
import { count } from "drizzle-orm";
import { migrateDatabase, openDatabase, type Database } from "@/db/client";
import { users } from "@/db/schema";
import { config, loadSecrets } from "./platform/config";
import { Clock } from "./platform/clock";
import { LocalDiskStorage } from "./platform/storage";
import { readSetting, writeSetting } from "./platform/settings";
import { runDueJobs } from "./platform/jobs";
import { SandboxProvider } from "./payment/sandbox-provider";
import type { Ctx, Services } from "./core/context";
import type { Viewer } from "./core/viewer";
import { createLoaders } from "./loaders";
import { createApolloServer, executeHttp, executeInProcess, type ExecuteResult } from "./server";
import { jobHandlers } from "./jobs";
import { ensureDefaultRuleSet } from "./referral/rule-set.service";
import { scheduleTeamRollup } from "./referral/team-stats.service";
import { schedulePointsExpiry } from "./points/points-expiry.service";
import { loadViewer, viewerFromBearer } from "./identity/identity.service";
import { LiveHub } from "./live/live-bus";
import { presentViewers } from "./live/live-room.service";

import { REFUND_RETRY_AFTER_MS, sendDueRefunds } from "./order/refund-sweeper.service";
import { backfillAddressIndexes } from "./risk/risk.service";
export type Runtime = {
  database: Database;
  services: Services;
  server: ApolloServer<Ctx>;
  sandbox: SandboxProvider;
  /** Live-room events for the viewers connected to this instance (LISTEN/NOTIFY fan-out). */
  liveHub: LiveHub;
  /** A fresh per-request context for a viewer. */
  context(viewer: Viewer | null, ip?: string): Ctx;
  execute<T>(request: GraphQLRequest, viewer: Viewer | null, ip?: string): Promise<ExecuteResult<T>>;
  handleHttp(request: Request, viewer: Viewer | null, ip: string): Promise<Response>;
  viewerForSession(userId: string, sessionVersion: number): Promise<Viewer | null>;
  viewerForBearer(token: string): Promise<Viewer | null>;
  /** Moves the dev clock forward and runs whatever became due. */
  advanceClock(ms: number): Promise<{ now: Date; jobsRun: number }>;
  close(): Promise<void>;
};

export type BootOptions = {
  databaseUrl?: string;
  /** PGlite data directory ("memory://" for tests). */
  dataDir?: string;
  /** Seed demo data when the database has no users. */
  seedDemo?: boolean;
  /** Poll for due jobs every second. */
  workers?: boolean;
  poolSize?: number;
  /** Sees every SQL statement (tests count queries per page with it). */
  logger?: { logQuery(query: string, params: unknown[]): void };
};

const CLOCK_KEY = "dev_clock_offset_ms";

export async function bootRuntime(opts: BootOptions = {}): Promise<Runtime> {
  loadSecrets();
  const database = await openDatabase({
    url: opts.databaseUrl,
    dataDir: opts.dataDir ?? path.join(config.dataDir, "pglite"),
    poolSize: opts.poolSize,
    logger: opts.logger,
  });
  await migrateDatabase(database);
  const db = database.db;
  const clock = new Clock();
  clock.setOffset(await readSetting<number>(db, CLOCK_KEY, 0));
  await ensureDefaultRuleSet(db, clock.now());
  await backfillAddressIndexes(db);
  await scheduleTeamRollup(db, clock.now(), clock.now());
  await schedulePointsExpiry(db, clock.now());
  const liveHub = new LiveHub(db);
  await liveHub.start(database);
  if (opts.workers) liveHub.startPresence((liveId) => presentViewers(db, liveId, clock.now()), () => clock.now());
  const storage = new LocalDiskStorage(path.join(config.dataDir, "files"));
  const sandbox = new SandboxProvider(() => loadSecrets().sandboxPaySecret);

  let jobsRunning: Promise<number> | null = null;
  let lastRefundSweep = 0;
  const runJobs = () => {
    // One pass at a time per process; other instances are kept apart by SKIP LOCKED.
    jobsRunning ??= runDueJobs(db, () => clock.now(), jobHandlers)
      .then(async (n) => {
        // Refunds waiting on a provider are re-sent here, once a minute: jobs run inside a
        // transaction, and a provider call must never hold one open.
        if (clock.now().getTime() - lastRefundSweep >= REFUND_RETRY_AFTER_MS) {
          lastRefundSweep = clock.now().getTime();
          await sendDueRefunds({ db, now: clock.now(), payments: services.payments });
        }
        return n;
      })
      .finally(() => (jobsRunning = null));
    return jobsRunning;
  };
  const services: Services = { db, clock, storage, payments: { [sandbox.name]: sandbox }, runJobs };

  if (opts.seedDemo) {
    const [{ n }] = await db.select({ n: count() }).from(users);
    if (Number(n) === 0) {
      const { seedDemoData } = await import("@/db/seed/demo");
      await seedDemoData(services);
    }
  }

  const server = await createApolloServer();
  const context = (viewer: Viewer | null, ip = "0.0.0.0"): Ctx => {
    const now = clock.now();
    return { db, now, viewer, ip, loaders: createLoaders(db, now), services };
  };

  let timer: NodeJS.Timeout | undefined;
  if (opts.workers) {
    timer = setInterval(async () => {
      try {
        // Another instance (or the clock command) may have moved the dev clock.
        clock.setOffset(await readSetting<number>(db, CLOCK_KEY, 0));
        await runJobs();
      } catch (e) {
        console.error("[jobs]", e instanceof Error ? e.message : e);
      }
    }, 1000);
    timer.unref();
  }

  return {
    database,
    services,
    server,
    sandbox,
    liveHub,
    context,
    execute: (request, viewer, ip) => executeInProcess(server, request, context(viewer, ip)),
    handleHttp: (request, viewer, ip) => executeHttp(server, request, async () => context(viewer, ip)),
    viewerForSession: (userId, sessionVersion) => loadViewer(db, userId, sessionVersion),
    viewerForBearer: (token) => viewerFromBearer(db, token, clock.now()),
    advanceClock: async (ms) => {
      clock.setOffset(clock.offset + ms);
      await writeSetting(db, CLOCK_KEY, clock.offset, clock.now());
      const jobsRun = await runJobs();
      return { now: clock.now(), jobsRun };
    },
    close: async () => {
      if (timer) clearInterval(timer);
      await jobsRunning;
      await liveHub.close();
      await server.stop();
      await database.close();
    },
  };
}
