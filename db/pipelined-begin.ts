import postgres, { type Sql } from "postgres";

/**
 * Transactions whose BEGIN travels with their first statements.
 *
 * postgres.js's `begin` sends BEGIN and waits for its answer before it runs the callback, so every
 * transaction pays one round trip that carries nothing else — and on a loaded two-core machine each
 * round trip is also a wake-up of the backend that can deschedule the app (bench/flash-sale at c=8
 * spends a fifth of its wall time inside socket writes). Here a connection is reserved, BEGIN is
 * queued on it without waiting, and the callback runs at once: BEGIN and the first statements leave
 * in one write, and Postgres answers them in order.
 *
 * Why this is safe: a statement on the reserved connection is executed after BEGIN, and BEGIN
 * without options can only fail with the connection itself (then every statement after it fails
 * too). The callback's result decides, as in postgres.js: a throw rolls back and rethrows; otherwise
 * COMMIT — and a COMMIT that Postgres answers with ROLLBACK (some statement failed that the callback
 * did not await) throws instead of reporting success. Savepoints (drizzle's nested transactions)
 * are queued the same way, and a throw inside one rolls back to it.
 *
 * A connection that closes mid-transaction fails the transaction at once (a statement sent after
 * the close would otherwise wait for ever), as postgres.js's begin does: the BEGIN query's
 * `onexecute` hands over the connection and its `onclose` is set for the transaction's span — the
 * same two postgres.js 3.4 internals its own begin uses (db/pipelined-begin.test.ts kills a backend
 * mid-transaction to hold them to it). Such a connection is not released: postgres.js's `release`
 * would put it back among the open ones, where its next query fails; left alone, the pool
 * reconnects it. Otherwise the connection goes back once its last COMMIT or ROLLBACK was answered
 * (a Postgres error is an answer too). The reconnect itself needs scripts/patch-postgres.mjs (run at
 * install): unpatched, postgres.js hands the dead session's error to the reserve() that asks for
 * the new connection and loses that connection for good.
 */

export type ScopedSql = Sql & { savepoint: <T>(fn: (sql: ScopedSql) => T | Promise<T>) => Promise<T> };

const answered = (e: unknown) => e instanceof postgres.PostgresError;
const CLOSE_GRACE_MS = 1_000;
const LOSS_CODES = new Set(["CONNECTION_CLOSED", "CONNECTION_DESTROYED", "CONNECTION_ENDED", "CONNECT_TIMEOUT", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH"]);
/** An error postgres.js gave one of its queries (it names the query) because the socket failed. */
const socketLoss = (e: unknown) => e instanceof Error && "query" in e && !answered(e) && LOSS_CODES.has(String((e as { code?: unknown }).code));
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export async function pipelinedBegin<T>(client: Sql, fn: (sql: ScopedSql) => T | Promise<T>): Promise<T> {
  const conn = await client.reserve();
  let savepoints = 0;
  let alive = false;
  let connection: PoolConnection | null = null;
  let lost: unknown = null;
  let onLost: (e: unknown) => void = () => {};
  const closing = new Promise<never>((_, reject) => (onLost = reject));
  closing.catch(() => {});
  const watch = (c: PoolConnection) => {
    connection = c;
    c.onclose = (e) => {
      lost = e ?? new Error("connection closed");
      onLost(lost);
    };
    return true; // keep pipelining: the statements after BEGIN go out without waiting for it
  };
  const sql = Object.assign(conn, {
    savepoint: <R>(inner: (s: ScopedSql) => R | Promise<R>) => scope(inner, `s${savepoints++}`),
  }) as unknown as ScopedSql;

  async function scope<R>(body: (s: ScopedSql) => R | Promise<R>, name: string | null): Promise<R> {
    // Queued, not awaited: it goes out with what the body sends first. Its own failure shows in
    // the statements after it (the connection is gone, or the transaction is aborted).
    const opened = (name ? conn.unsafe(`savepoint ${name}`) : conn.unsafe("begin", [], { onexecute: watch } as never)).execute();
    opened.catch(() => {});
    let result: R;
    try {
      const running = Promise.resolve(body(sql));
      running.catch(() => {}); // a body left waiting on a closed connection must not surface later
      result = await Promise.race([running, closing]);
      await opened;
    } catch (e) {
      // Nothing more goes to a connection that closed: a statement sent now could outlive the
      // pool's own bookkeeping of the close (the pool would lose the connection for good). A socket
      // error reaches the statements some milliseconds before the pool hears of the close, so on
      // such an error wait for the close a little: it comes if the error was this connection's,
      // and one from another connection waits it out, then rolls back as usual.
      if (!lost && socketLoss(e)) await Promise.race([closing.catch(() => {}), delay(CLOSE_GRACE_MS)]);
      if (lost) throw e;
      try {
        await Promise.race([conn.unsafe(name ? `rollback to savepoint ${name}` : "rollback"), closing]);
        alive = true;
      } catch (undo) {
        alive = answered(undo);
      }
      throw e;
    }
    if (name) return result;
    let done: { command?: string };
    try {
      done = (await Promise.race([conn.unsafe("commit"), closing])) as unknown as { command?: string };
    } catch (e) {
      alive = !lost && answered(e);
      throw e;
    }
    alive = true;
    if (done.command === "ROLLBACK") throw new TransactionAborted();
    return result;
  }

  try {
    return await scope(fn, null);
  } finally {
    if (connection) (connection as PoolConnection).onclose = null;
    if (alive && !lost) conn.release();
  }
}

/** What postgres.js hands a query's `onexecute`: its pool connection, whose `onclose` the pool calls once. */
type PoolConnection = { onclose: ((e: unknown) => void) | null };

/** COMMIT was answered with ROLLBACK: a statement of the transaction failed and nothing was kept. */
export class TransactionAborted extends Error {
  constructor() {
    super("the transaction was aborted by a failed statement; nothing was committed");
    this.name = "TransactionAborted";
  }
}
