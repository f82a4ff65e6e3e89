/**
 * Boots the Lianbo runtime once per server process: opens and migrates the database (embedded
 * PGlite unless DATABASE_URL is set), seeds demo data on first run, builds the GraphQL schema and
 * starts the job worker.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { bootRuntime } = await import("./graphql/runtime");
  const { setRuntime } = await import("./graphql/runtime-access");
  const runtime = bootRuntime({
    databaseUrl: process.env.DATABASE_URL || undefined,
    seedDemo: process.env.LIANBO_SEED !== "0",
    workers: true,
  });
  setRuntime(runtime);
  await runtime;
}
