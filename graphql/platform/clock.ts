/**
 * The one clock. Everything time-driven asks `clock.now()`. In development and tests the clock can be
 * moved forward (never back) by an offset kept in platform_settings, so that expiry and settlement
 * are tested in seconds instead of days.
 */
export class Clock {
  private offsetMs = 0;
  private frozen: Date | null = null;

  now(): Date {
    return this.frozen ? new Date(this.frozen) : new Date(Date.now() + this.offsetMs);
  }

  /** Stops the clock at a moment (the rule simulator replays a scripted history day by day). */
  freeze(at: Date) {
    if (this.frozen && at < this.frozen) throw new Error("the clock never moves back");
    this.frozen = new Date(at);
  }

  /**
   * Tests only: a test that empties its database to replay another scripted history starts the
   * clock again (the application itself never moves time back).
   */
  unfreezeForTests() {
    this.frozen = null;
  }

  get offset(): number {
    return this.offsetMs;
  }

  setOffset(ms: number) {
    this.offsetMs = Math.max(this.offsetMs, ms);
  }
}

/** Parses "15m", "10d", "2h", "30s" into milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: ${text} (use e.g. 15m, 10d)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as "ms"];
  return Number(m[1]) * unit;
}

export const MINUTE = 60_000;
export const DAY = 86_400_000;
