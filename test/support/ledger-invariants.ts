import { expect } from 'vitest';
import { auditLedger } from '#libs/ledger';
import type { Stack } from './stack';

const OPEN = ['offered', 'scheduled', 'published', 'needs_review'];

/**
 * The money invariants, checked after every test: every journal entry balances, every projected
 * balance equals its journal, all accounts sum to zero per currency, and each placement's escrow is
 * either still open (holding exactly the price) or released exactly once (holding nothing).
 */
export async function expectLedgerConsistent(stack: Stack): Promise<void> {
  const report = await auditLedger(stack.db.manager);
  expect(report.unbalancedEntries).toEqual([]);
  expect(report.projectionMismatches).toEqual([]);
  for (const total of report.totalsByCurrency) expect(total.sum).toBe(0);

  const placements: { id: string; status: string; price_minor: string; escrow: string | null; releases: number; reserves: number }[] = await stack.db.query(
    `SELECT p.id, p.status, p.price_minor,
            (SELECT balance_minor FROM ledger_accounts a WHERE a.type = 'escrow' AND a.reference = p.id::text) AS escrow,
            (SELECT count(*)::int FROM journal_entries e WHERE e.reference = 'placement:' || p.id || ':escrow-release') AS releases,
            (SELECT count(*)::int FROM journal_entries e WHERE e.reference = 'placement:' || p.id || ':escrow-reserve') AS reserves
       FROM placements p`,
  );
  for (const placement of placements) {
    const escrow = Number(placement.escrow ?? 0);
    expect(placement.reserves, `placement ${placement.id} reserved once`).toBe(1);
    if (OPEN.includes(placement.status)) {
      expect({ id: placement.id, escrow, releases: placement.releases }).toEqual({ id: placement.id, escrow: Number(placement.price_minor), releases: 0 });
    } else {
      expect({ id: placement.id, escrow, releases: placement.releases }).toEqual({ id: placement.id, escrow: 0, releases: 1 });
    }
  }
}
