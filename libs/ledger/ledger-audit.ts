import { EntityManager } from 'typeorm';

export interface LedgerAuditReport {
  unbalancedEntries: { entryId: string; currency: string; sum: number }[];
  projectionMismatches: { code: string; balance: number; journal: number }[];
  totalsByCurrency: { currency: string; sum: number }[];
}

/**
 * Checks the invariants of the whole ledger: every entry sums to zero per currency, every account's
 * projected balance equals the sum of its journal lines, and all accounts together sum to zero.
 */
export async function auditLedger(manager: EntityManager): Promise<LedgerAuditReport> {
  const unbalanced = await manager.query(
    `SELECT entry_id, currency, SUM(amount_minor) AS sum FROM journal_lines GROUP BY entry_id, currency HAVING SUM(amount_minor) <> 0`,
  );
  const mismatches = await manager.query(
    `SELECT a.code, a.balance_minor AS balance, COALESCE(SUM(l.amount_minor), 0) AS journal
       FROM ledger_accounts a LEFT JOIN journal_lines l ON l.account_code = a.code
      GROUP BY a.code, a.balance_minor HAVING a.balance_minor <> COALESCE(SUM(l.amount_minor), 0)`,
  );
  const totals = await manager.query(`SELECT currency, SUM(amount_minor) AS sum FROM journal_lines GROUP BY currency`);
  return {
    unbalancedEntries: unbalanced.map((row: { entry_id: string; currency: string; sum: string }) => ({
      entryId: row.entry_id,
      currency: row.currency,
      sum: Number(row.sum),
    })),
    projectionMismatches: mismatches.map((row: { code: string; balance: string; journal: string }) => ({
      code: row.code,
      balance: Number(row.balance),
      journal: Number(row.journal),
    })),
    totalsByCurrency: totals.map((row: { currency: string; sum: string }) => ({ currency: row.currency, sum: Number(row.sum) })),
  };
}
