import type { Db } from "@/db/client";
import { forbidden } from "./errors";
import type { Viewer } from "./viewer";
import type { Loaders } from "../loaders";
import type { Clock } from "../platform/clock";
import type { FileStorage } from "../platform/storage";
import type { PaymentProvider } from "../payment/payment-provider";

/** Long-lived parts shared by every request of one process. */
export type Services = {
  db: Db;
  clock: Clock;
  storage: FileStorage;
  payments: Record<string, PaymentProvider>;
  /** Runs due jobs now (used after the dev clock moves). */
  runJobs(): Promise<number>;
};

/** Per-request context: the same shape for HTTP and for server components. */
export type Ctx = {
  db: Db;
  now: Date;
  viewer: Viewer | null;
  ip: string;
  loaders: Loaders;
  services: Services;
};

/** The viewer of a guarded resolver (the auth checker has already ensured it exists). */
export function viewerOf(ctx: Ctx): Viewer {
  if (!ctx.viewer) throw new Error("viewer missing behind a guarded resolver");
  return ctx.viewer;
}

/** The store the viewer owns; a merchant account without one simply has no access. */
export function storeIdOf(ctx: Ctx): string {
  const storeId = viewerOf(ctx).storeId;
  if (!storeId) throw forbidden();
  return storeId;
}

/** The supplier company the viewer works for; without one, no access. */
export function supplierIdOf(ctx: Ctx): string {
  const supplierId = viewerOf(ctx).supplierId;
  if (!supplierId) throw forbidden();
  return supplierId;
}
