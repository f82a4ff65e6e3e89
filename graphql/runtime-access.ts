import type { Runtime } from "./runtime";

/**
 * The process-wide runtime, booted once by instrumentation.ts. Pages and route handlers reach it
 * through here and never import resolvers themselves: Next bundles routes and pages separately,
 * and two copies of the resolver classes would register their GraphQL types twice.
 */
export function getRuntime(): Promise<Runtime> {
  const booted = (globalThis as { __lianboRuntime?: Promise<Runtime> }).__lianboRuntime;
  if (!booted) throw new Error("Lianbo runtime is not booted (instrumentation.ts did not run)");
  return booted;
}

export function setRuntime(runtime: Promise<Runtime>) {
  (globalThis as { __lianboRuntime?: Promise<Runtime> }).__lianboRuntime = runtime;
}
