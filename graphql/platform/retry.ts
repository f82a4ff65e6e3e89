/** Postgres errors worth retrying: serialization failure and deadlock. */
const RETRYABLE = new Set(["40001", "40P01"]);

function pgCode(e: unknown): string | undefined {
  const err = e as { code?: string; cause?: { code?: string } };
  return err?.code ?? err?.cause?.code;
}

/** Runs a transaction, retrying a bounded number of times on serialization failures and deadlocks. */
export async function withTxRetry<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= attempts || !RETRYABLE.has(pgCode(e) ?? "")) throw e;
      await new Promise((r) => setTimeout(r, 5 * i + Math.random() * 10));
    }
  }
}

/** True when the error is a unique-constraint violation. */
export function isUniqueViolation(e: unknown): boolean {
  return pgCode(e) === "23505";
}
