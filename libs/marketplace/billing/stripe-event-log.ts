import { Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { DataSource, EntityManager } from 'typeorm';
import { updateReturning, withTransaction } from '#libs/database';

/**
 * Runs an event's effect at most once: the event id is inserted in the same transaction as the
 * effect, so a redelivery (or a concurrent duplicate, which waits on the key) commits nothing.
 */
@Injectable()
export class StripeEventLog {
  constructor(private readonly dataSource: DataSource) {}

  async once(event: Pick<Stripe.Event, 'id' | 'type'>, effect: (tx: EntityManager) => Promise<void>): Promise<boolean> {
    return withTransaction(this.dataSource, async (tx) => {
      const inserted = await updateReturning<{ id: string }>(
        tx,
        `INSERT INTO stripe_events (id, type) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id`,
        [event.id, event.type],
      );
      if (inserted.length === 0) return false;
      await effect(tx);
      return true;
    });
  }
}

/** Records which Stripe balance movement a ledger entry accounts for; false when it was already recorded. */
export async function linkStripeMovement(
  tx: EntityManager,
  link: { sourceId: string; kind: string; journalReference: string; amountMinor: number; currency: string; occurredAt?: Date },
): Promise<boolean> {
  const rows = await updateReturning<{ source_id: string }>(
    tx,
    `INSERT INTO stripe_ledger_links (source_id, kind, journal_reference, amount_minor, currency, occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (source_id) DO NOTHING RETURNING source_id`,
    [link.sourceId, link.kind, link.journalReference, String(link.amountMinor), link.currency, link.occurredAt ?? new Date()],
  );
  return rows.length > 0;
}
