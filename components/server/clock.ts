import { getRuntime } from "@/graphql/runtime-access";

/**
 * The application clock's time (the one the API decides with; development can move it forward),
 * for client countdowns to measure their skew against.
 */
export async function serverNow(): Promise<string> {
  const rt = await getRuntime();
  return rt.services.clock.now().toISOString();
}
