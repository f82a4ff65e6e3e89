import { index, integer, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { id, money, timestamps } from "./columns";

/**
 * Double-entry ledger. Accounts are named by code (e.g. `supplier:<id>:payable`). Entries are signed
 * fen; every transaction sums to zero (a deferred constraint trigger checks it at commit) and the
 * database refuses UPDATE and DELETE on transactions and entries.
 */
export const ledgerAccounts = pgTable(
  "ledger_accounts",
  {
    id: id(),
    code: text("code").notNull(),
    kind: text("kind").notNull(),
    ownerId: uuid("owner_id"),
    ...timestamps,
  },
  (t) => [uniqueIndex("ledger_accounts_code_uq").on(t.code)],
);

export const ledgerTransactions = pgTable(
  "ledger_transactions",
  {
    id: id(),
    kind: text("kind").notNull(),
    /** The business event this records (e.g. the payment id); unique per kind, so it is written once. */
    reference: text("reference").notNull(),
    memo: text("memo").notNull().default(""),
    ...timestamps,
  },
  (t) => [uniqueIndex("ledger_transactions_ref_uq").on(t.kind, t.reference)],
);

export const ledgerEntries = pgTable(
  "ledger_entries",
  {
    id: id(),
    transactionId: uuid("transaction_id").notNull().references(() => ledgerTransactions.id),
    accountId: uuid("account_id").notNull().references(() => ledgerAccounts.id),
    amount: money("amount").notNull(),
    /** The order (if any) this entry belongs to, for per-order views. */
    orderId: uuid("order_id"),
    /**
     * Wallet accounts are hash chains: each entry's position in its wallet and the hash of the
     * previous entry, so anyone can verify that nothing was altered or removed.
     */
    seq: integer("seq"),
    prevHash: text("prev_hash"),
    hash: text("hash"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("ledger_entries_account_seq_uq").on(t.accountId, t.seq),
    index("ledger_entries_account_idx").on(t.accountId),
    index("ledger_entries_txn_idx").on(t.transactionId),
    index("ledger_entries_order_idx").on(t.orderId),
  ],
);
