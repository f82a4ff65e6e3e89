// `npm run ledger:verify`: audits the whole ledger — every transaction sums to zero, every wallet's
// hash chain recomputes, withdrawals in flight match their account — prints a summary and exits 1 on
// any failure (0 when everything holds, 2 when it cannot run).
//
// Database: DATABASE_URL when set, otherwise the app's embedded PGlite in $LIANBO_DATA_DIR/pglite
// (default .data/pglite). A PGlite data directory belongs to ONE process: opening it while the app
// runs would corrupt it. So against the embedded database this refuses to run while the directory is
// in use (PGlite keeps a postmaster.pid there while open) — stop the app first. After a crash the file
// stays behind; if you are sure nothing uses the directory, pass --force.
import "reflect-metadata";
import { existsSync } from "node:fs";
import path from "node:path";

async function main() {
  const { config } = await import("../graphql/platform/config");
  const databaseUrl = config.databaseUrl;
  const dataDir = path.join(config.dataDir, "pglite");
  if (!databaseUrl) {
    if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
      throw Object.assign(new Error(`no embedded database in ${dataDir} (set DATABASE_URL for a Postgres server)`), { exit: 2 });
    }
    if (existsSync(path.join(dataDir, "postmaster.pid")) && !process.argv.includes("--force")) {
      throw Object.assign(
        new Error(`${dataDir} is in use — stop the app first (the embedded database belongs to one process); after a crash, rerun with --force`),
        { exit: 2 },
      );
    }
  }
  const { bootRuntime } = await import("../graphql/runtime");
  const { verifyLedger } = await import("../graphql/ledger/ledger-verify.service");
  const rt = await bootRuntime({ databaseUrl, dataDir, seedDemo: false, workers: false, poolSize: 2 });
  try {
    console.log(`ledger: ${databaseUrl ? "DATABASE_URL" : dataDir}`);
    const report = await verifyLedger(rt.services.db, (code, ok) => {
      if (!ok) console.log(`  ✗ wallet chain broken: ${code}`);
    });
    console.log(`  transactions: ${report.transactionsChecked}, unbalanced: ${report.unbalanced.length}`);
    for (const id of report.unbalanced) console.log(`  ✗ unbalanced transaction ${id}`);
    console.log(`  wallets: ${report.walletsChecked}, broken chains: ${report.brokenWallets.length}`);
    console.log(`  withdrawals in flight: ledger ${report.inFlight.ledger} fen, open requests ${report.inFlight.withdrawals} fen${report.inFlight.ok ? "" : "  ✗ MISMATCH"}`);
    console.log(`  points accounts: ${report.points.accountsChecked}, balance ≠ Σ entries: ${report.points.mismatched.length}`);
    for (const m of report.points.mismatched) console.log(`  ✗ points of ${m.userId}: balance ${m.balance}, entries ${m.entries}`);
    console.log(report.ok ? "OK" : "FAILED");
    return report.ok ? 0 : 1;
  } finally {
    await rt.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`ledger:verify: ${(e as Error).message}`);
    process.exit((e as { exit?: number }).exit ?? 2);
  },
);
