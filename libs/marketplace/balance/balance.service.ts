import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode } from '#libs/common';
import { updateReturning, withTransaction } from '#libs/database';
import { LedgerAccountType, LedgerAccounts, LedgerService } from '#libs/ledger';
import type { PaymentsProvider } from '#libs/payments';
import { PAYMENTS_PROVIDER } from '../tokens';
import { TopUpEntity } from './top-up.entity';

export interface AdvertiserBalance {
  currency: string;
  availableMinor: number;
  reservedMinor: number;
  frozenMinor: number;
}

export interface OwnerEarnings {
  currency: string;
  availableMinor: number;
  pendingMinor: number;
  inTransitMinor: number;
}

export interface TopUpView {
  topUp: TopUpEntity;
  clientSecret: string | null;
  checkoutUrl: string | null;
}

@Injectable()
export class BalanceService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    @Inject(PAYMENTS_PROVIDER) private readonly provider: PaymentsProvider,
  ) {}

  /**
   * Starts a top-up with the configured provider. The row is committed before the provider is
   * called, so its id can serve as the provider's idempotency key; the balance is credited only
   * when the provider says the money arrived (at once in the sandbox, on the webhook with Stripe).
   */
  async topUp(accountId: string, amountMinor: number, currency: string): Promise<TopUpView> {
    const manager = this.dataSource.manager;
    const topUp = await manager.save(
      TopUpEntity,
      manager.create(TopUpEntity, { accountId, amountMinor, currency, provider: this.provider.name, status: 'pending' }),
    );
    let result;
    try {
      result = await this.provider.createTopUp({ topUpId: topUp.id, accountId, amountMinor, currency });
    } catch (error) {
      await manager.update(TopUpEntity, { id: topUp.id, status: 'pending' }, { status: 'failed', failureReason: 'provider_unavailable' });
      throw new DomainError(ErrorCode.PaymentsProviderUnavailable, undefined, { topUpId: topUp.id });
    }
    await manager.update(TopUpEntity, { id: topUp.id }, { providerRef: result.providerRef });
    if (result.status === 'succeeded') await this.creditTopUp(topUp.id);
    if (result.status === 'failed') await this.failTopUp(topUp.id, 'declined');
    return {
      topUp: await manager.findOneByOrFail(TopUpEntity, { id: topUp.id }),
      clientSecret: result.clientSecret ?? null,
      checkoutUrl: result.checkoutUrl ?? null,
    };
  }

  /** Credits a pending top-up exactly once, whatever calls it and however often. */
  async creditTopUp(topUpId: string): Promise<boolean> {
    return withTransaction(this.dataSource, async (tx) => {
      const rows = await updateReturning<{ account_id: string; amount_minor: string; currency: string; provider: string }>(
        tx,
        `UPDATE top_ups SET status = 'succeeded', updated_at = now() WHERE id = $1 AND status = 'pending'
         RETURNING account_id, amount_minor, currency, provider`,
        [topUpId],
      );
      const row = rows[0];
      if (!row) return false;
      const amountMinor = Number(row.amount_minor);
      await this.ledger.post(tx, {
        kind: 'top_up',
        reference: `top-up:${topUpId}`,
        description: `Top-up ${topUpId} through ${row.provider}`,
        lines: [
          { account: LedgerAccounts.external(row.provider, row.currency), amountMinor: -amountMinor },
          { account: LedgerAccounts.advertiserAvailable(row.account_id, row.currency), amountMinor },
        ],
      });
      return true;
    });
  }

  async failTopUp(topUpId: string, reason: string): Promise<void> {
    await this.dataSource.query(`UPDATE top_ups SET status = 'failed', failure_reason = $2, updated_at = now() WHERE id = $1 AND status = 'pending'`, [
      topUpId,
      reason,
    ]);
  }

  async advertiserBalances(advertiserId: string): Promise<AdvertiserBalance[]> {
    const rows = await this.ledger.holderBalances(advertiserId);
    const byCurrency = new Map<string, AdvertiserBalance>();
    for (const row of rows) {
      const balance = byCurrency.get(row.currency) ?? { currency: row.currency, availableMinor: 0, reservedMinor: 0, frozenMinor: 0 };
      if (row.type === LedgerAccountType.AdvertiserAvailable) balance.availableMinor += row.balanceMinor;
      if (row.type === LedgerAccountType.Escrow) balance.reservedMinor += row.balanceMinor;
      if (row.type === LedgerAccountType.AdvertiserFrozen) balance.frozenMinor += row.balanceMinor;
      byCurrency.set(row.currency, balance);
    }
    return [...byCurrency.values()];
  }

  /** Available: earned and released. Pending: accepted deals whose escrow will be the owner's if delivered. */
  async ownerEarnings(ownerId: string): Promise<OwnerEarnings[]> {
    const rows = await this.ledger.holderBalances(ownerId);
    const pending: { currency: string; pending: string }[] = await this.dataSource.query(
      `SELECT currency, SUM(price_minor - fee_minor) AS pending FROM placements
        WHERE owner_id = $1 AND status IN ('scheduled', 'published', 'needs_review') GROUP BY currency`,
      [ownerId],
    );
    const byCurrency = new Map<string, OwnerEarnings>();
    const entry = (currency: string): OwnerEarnings => {
      const existing = byCurrency.get(currency) ?? { currency, availableMinor: 0, pendingMinor: 0, inTransitMinor: 0 };
      byCurrency.set(currency, existing);
      return existing;
    };
    for (const row of rows) {
      if (row.type === LedgerAccountType.OwnerEarnings) entry(row.currency).availableMinor += row.balanceMinor;
      if (row.type === LedgerAccountType.OwnerPayoutsInTransit) entry(row.currency).inTransitMinor += row.balanceMinor;
    }
    for (const row of pending) entry(row.currency).pendingMinor += Number(row.pending);
    return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
  }
}
