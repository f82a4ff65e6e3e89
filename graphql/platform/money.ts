/** Money is integer fen everywhere; this is the only place that turns it into text. */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  return `${sign}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** Basis-point share of an amount, floored to the fen (rounding never exceeds a cap). */
export function bpFloor(amount: number, bp: number): number {
  return Math.floor((amount * bp) / 10_000);
}

/** Basis-point share rounded up: used for minimum margins so a limit is never undercut. */
export function bpCeil(amount: number, bp: number): number {
  return Math.ceil((amount * bp) / 10_000);
}
