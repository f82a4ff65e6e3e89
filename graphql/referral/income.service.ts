import { and, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { rowsOf, type Db } from "@/db/client";
import { realNames, users, withdrawals } from "@/db/schema";
import { DomainError } from "../core/errors";
import { decryptPii } from "../platform/crypto";
import { maskPhone } from "../platform/mask";
import { shanghaiMonth, yuan } from "./withdrawal.rules";
import { WITHDRAWAL_KINDS } from "./withdrawal.service";

/**
 * Monthly per-person income for the platform's tax reporting (国务院令第810号: platforms report the
 * 佣金收入 of the people they pay). Read from the wallets' ledger entries, so the report can never
 * disagree with the money:
 * - gross: settled rewards credited to the wallet in the month (ledger kind `reward_settle`);
 * - reversed: every other wallet debit in the month that is not a withdrawal movement — the
 *   claw-back of already-settled rewards after a refund (`reward_reversal`), and any later kind of
 *   correction, so nothing taken back can be missing from the report;
 * - net = gross − reversed (may be negative: a refund in a later month than the income);
 * - withdrawn: withdrawals PAID in the month (amount including the fee).
 * Months are Asia/Shanghai calendar months.
 */
export type IncomeRecord = {
  userId: string;
  /** Masked (138****1234): the report never carries a full phone number. */
  phone: string | null;
  /** The verified legal name (what the tax report needs), or null if never verified. */
  realName: string | null;
  gross: number;
  reversed: number;
  net: number;
  withdrawn: number;
};

export const IncomeErrorCode = { INVALID_MONTH: "INVALID_MONTH" } as const;

const SETTLE_KIND = "reward_settle";

export async function monthlyIncome(db: Db, { month }: { month: string }): Promise<IncomeRecord[]> {
  const range = shanghaiMonth(month);
  if (!range) throw new DomainError(IncomeErrorCode.INVALID_MONTH, "月份格式应为 YYYY-MM", "month");
  const excluded = sql.join(WITHDRAWAL_KINDS.map((k) => sql`${k}`), sql`, `);
  // Wallet entries are signed from the platform's side: a credit (income) is negative.
  const moved = rowsOf<{ user_id: string; gross: string; reversed: string }>(
    await db.execute(sql`
      select split_part(a.code, ':', 2) as user_id,
             coalesce(sum(case when t.kind = ${SETTLE_KIND} then -e.amount else 0 end), 0) as gross,
             coalesce(sum(case when t.kind <> ${SETTLE_KIND} and t.kind not in (${excluded}) and e.amount > 0 then e.amount else 0 end), 0) as reversed
      from ledger_entries e
      join ledger_accounts a on a.id = e.account_id
      join ledger_transactions t on t.id = e.transaction_id
      where a.kind = 'wallet' and e.created_at >= ${range.start.toISOString()} and e.created_at < ${range.end.toISOString()}
      group by 1`),
  );
  const paid = await db
    .select({ userId: withdrawals.userId, total: sql<string>`sum(${withdrawals.amount})` })
    .from(withdrawals)
    .where(and(eq(withdrawals.status, "PAID"), gte(withdrawals.paidAt, range.start), lt(withdrawals.paidAt, range.end)))
    .groupBy(withdrawals.userId);

  const byUser = new Map<string, { gross: number; reversed: number; withdrawn: number }>();
  const entry = (id: string) => byUser.get(id) ?? byUser.set(id, { gross: 0, reversed: 0, withdrawn: 0 }).get(id)!;
  for (const r of moved) Object.assign(entry(r.user_id), { gross: Number(r.gross), reversed: Number(r.reversed) });
  for (const r of paid) entry(r.userId).withdrawn = Number(r.total);
  const ids = [...byUser.keys()].filter((id) => Object.values(byUser.get(id)!).some((v) => v !== 0)).sort();
  if (!ids.length) return [];

  const people = await db
    .select({ id: users.id, phoneEnc: users.phoneEnc, nameEnc: realNames.nameEnc })
    .from(users)
    .leftJoin(realNames, eq(realNames.userId, users.id))
    .where(inArray(users.id, ids));
  const personOf = new Map(people.map((p) => [p.id, p]));
  return ids.map((userId) => {
    const m = byUser.get(userId)!;
    const p = personOf.get(userId);
    return {
      userId,
      phone: p?.phoneEnc ? maskPhone(decryptPii(p.phoneEnc)) : null,
      realName: p?.nameEnc ? decryptPii(p.nameEnc) : null,
      gross: m.gross,
      reversed: m.reversed,
      net: m.gross - m.reversed,
      withdrawn: m.withdrawn,
    };
  });
}

const HEADER = ["用户ID", "手机号", "真实姓名", "佣金收入(元)", "冲回(元)", "净收入(元)", "已提现(元)"];

/**
 * One CSV cell (RFC 4180 quoting). Text that a spreadsheet would run as a formula (= + - @ at the
 * start) gets a leading apostrophe; amounts are passed as numbers and keep their minus sign.
 */
function cell(value: string, text: boolean): string {
  const safe = text && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The month's income records as CSV for the operator's download: UTF-8 with a BOM (Excel otherwise
 * opens Chinese as mojibake), a header row, CRLF line ends, yuan with two decimals.
 */
export async function incomeCsv(db: Db, month: string): Promise<string> {
  const records = await monthlyIncome(db, { month });
  const lines = [HEADER.map((h) => cell(h, true)).join(",")];
  for (const r of records) {
    lines.push(
      [
        cell(r.userId, true),
        cell(r.phone ?? "", true),
        cell(r.realName ?? "", true),
        ...[r.gross, r.reversed, r.net, r.withdrawn].map((fen) => cell(yuan(fen), false)),
      ].join(","),
    );
  }
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
