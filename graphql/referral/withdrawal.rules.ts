/**
 * Withdrawal (提现) rules, rule book §5 and the §6 fraud controls. Pure: plain data in, plain data
 * out. Money is integer fen, the fee rate is basis points, the fee is floored (never over-charged).
 */
import { sameName } from "./real-name.rules";

/** The withdrawal parameters of a rule set (stored with it, versioned with it). */
export type WithdrawalRules = {
  /** Smallest amount one request may ask for. */
  minFen: number;
  /** Fee on a withdrawal, basis points of the amount. */
  feeBp: number;
  /** Most one person may request per Asia/Shanghai calendar day (rejected and failed ones excluded). */
  dailyLimitFen: number;
};

/** The values the rule_sets columns default to, used before any rule set is stored. */
export const DEFAULT_WITHDRAWAL_RULES: WithdrawalRules = { minFen: 1000, feeBp: 0, dailyLimitFen: 500_000 };

export const WithdrawalRulesErrorCode = { INVALID_WITHDRAWAL_RULES: "INVALID_WITHDRAWAL_RULES" } as const;

/**
 * Refuses withdrawal parameters that cannot work: a fee of 100% or more (the user would receive
 * nothing, and the table demands fee < amount), a minimum below 1 fen, a daily limit below the minimum.
 */
export function withdrawalRulesViolation(r: WithdrawalRules): { field: string; message: string } | null {
  const safe = (n: number) => Number.isSafeInteger(n);
  if (!safe(r.minFen) || r.minFen < 1) return { field: "withdrawMinFen", message: "最低提现金额至少 0.01 元" };
  if (!safe(r.feeBp) || r.feeBp < 0 || r.feeBp >= 10_000) return { field: "withdrawFeeBp", message: "提现手续费比例需在 0–100% 之间（不含 100%）" };
  if (!safe(r.dailyLimitFen) || r.dailyLimitFen < r.minFen) return { field: "withdrawDailyLimitFen", message: "每日提现上限不得低于最低提现金额" };
  return null;
}

/** fee = ⌊amount × feeBp ÷ 10 000⌋: with feeBp < 10 000 it is always below the amount. */
export function withdrawalFee(amount: number, feeBp: number): number {
  return Math.floor((amount * feeBp) / 10_000);
}

export const WithdrawalErrorCode = {
  INVALID_AMOUNT: "INVALID_AMOUNT",
  INVALID_PAYEE_ACCOUNT: "INVALID_PAYEE_ACCOUNT",
  FROZEN: "FROZEN",
  REAL_NAME_REQUIRED: "REAL_NAME_REQUIRED",
  PAYEE_NAME_MISMATCH: "PAYEE_NAME_MISMATCH",
  NEGATIVE_BALANCE: "NEGATIVE_BALANCE",
  BELOW_MINIMUM: "BELOW_MINIMUM",
  INSUFFICIENT_BALANCE: "INSUFFICIENT_BALANCE",
  DAILY_LIMIT_EXCEEDED: "DAILY_LIMIT_EXCEEDED",
} as const;
export type WithdrawalErrorCode = keyof typeof WithdrawalErrorCode;

export type WithdrawalViolation = { code: WithdrawalErrorCode; field: string | null; message: string };

/** Checks that need nothing but the request itself (done before any database work). */
export function withdrawalInputViolation(input: { amount: number; payeeAccount: string }): WithdrawalViolation | null {
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0) {
    return { code: "INVALID_AMOUNT", field: "amount", message: "提现金额必须是正数（以分计）" };
  }
  // A bank card, an Alipay login or a WeChat openid: printable, no spaces, 4–64 characters.
  if (!/^[\x21-\x7E]{4,64}$/.test(input.payeeAccount.trim())) {
    return { code: "INVALID_PAYEE_ACCOUNT", field: "payeeAccount", message: "收款账号格式不正确" };
  }
  return null;
}

/** What the service reads (under the wallet lock) to decide a request. */
export type WithdrawalState = {
  /** −(wallet balance): wallets are credit-negative in the ledger. Negative after a post-settlement refund. */
  available: number;
  frozen: boolean;
  /** The verified legal name, or null when the person never passed real-name verification. */
  realName: string | null;
  /** Σ amounts of today's requests that are not REJECTED or FAILED. */
  requestedToday: number;
};

/**
 * Decides a withdrawal request (§5, §6). Order matters only for which single error is reported:
 * who may withdraw at all (frozen, real name, payee), then the balance sign, then the amounts.
 * `skipRealName` exists for the scenario simulator, whose people have no real names.
 */
export function withdrawalViolation(
  request: { amount: number; payeeName: string },
  state: WithdrawalState,
  rules: WithdrawalRules,
  opts: { skipRealName?: boolean } = {},
): WithdrawalViolation | null {
  if (state.frozen) return { code: "FROZEN", field: null, message: "账户冻结审核中，暂不能提现" };
  if (!opts.skipRealName) {
    if (!state.realName) return { code: "REAL_NAME_REQUIRED", field: null, message: "请先完成实名认证" };
    if (!sameName(request.payeeName, state.realName)) {
      return { code: "PAYEE_NAME_MISMATCH", field: "payeeName", message: "收款人姓名须与实名认证姓名一致" };
    }
  }
  if (state.available < 0) return { code: "NEGATIVE_BALANCE", field: null, message: "余额为负（有退款冲回），暂不能提现" };
  if (request.amount < rules.minFen) return { code: "BELOW_MINIMUM", field: "amount", message: `单笔提现不得低于 ${yuan(rules.minFen)} 元` };
  if (request.amount > state.available) return { code: "INSUFFICIENT_BALANCE", field: "amount", message: "可提现余额不足" };
  if (state.requestedToday + request.amount > rules.dailyLimitFen) {
    return { code: "DAILY_LIMIT_EXCEEDED", field: "amount", message: `每日提现不得超过 ${yuan(rules.dailyLimitFen)} 元` };
  }
  return null;
}

/** 12345 → "123.45" (only for messages; formatting for display lives in platform/money). */
export function yuan(fen: number): string {
  const abs = Math.abs(fen);
  return `${fen < 0 ? "-" : ""}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

const SHANGHAI_OFFSET = 8 * 3_600_000;
const DAY = 86_400_000;

/** The Asia/Shanghai calendar day containing `at` (China has no daylight saving: a fixed +08:00). */
export function shanghaiDay(at: Date): { start: Date; end: Date } {
  const start = Math.floor((at.getTime() + SHANGHAI_OFFSET) / DAY) * DAY - SHANGHAI_OFFSET;
  return { start: new Date(start), end: new Date(start + DAY) };
}

/** An Asia/Shanghai calendar month "YYYY-MM" as [start, end); null when malformed. */
export function shanghaiMonth(month: string): { start: Date; end: Date } | null {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) return null;
  const [y, mo] = [Number(m[1]), Number(m[2])];
  return { start: new Date(Date.UTC(y, mo - 1, 1) - SHANGHAI_OFFSET), end: new Date(Date.UTC(y, mo, 1) - SHANGHAI_OFFSET) };
}

/** The payout number, made once from the withdrawal id and kept across retries (§5). */
export function payoutNoFor(withdrawalId: string): string {
  return `PO${withdrawalId.replace(/-/g, "").toUpperCase()}`;
}

/** 6222021234567890 → ****7890: operators see only the last four characters. */
export function maskAccount(account: string): string {
  return `****${account.slice(-4)}`;
}
