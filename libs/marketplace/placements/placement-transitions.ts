import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { PLACARD_CONFIG, PlacardConfig } from '#libs/config';
import { JournalEntryInput, LedgerAccounts, LedgerService } from '#libs/ledger';
import { JobDataByName, JobName, enqueueInOutbox } from '#libs/queue';
import { PlacementEntity } from './placement.entities';
import { PlacementAction, PlacementStatus, transitionFor } from './placement-status';

export interface FollowUpJob<N extends JobName = JobName> {
  name: N;
  data: JobDataByName[N];
  runAt: Date;
}

export interface TransitionRequest {
  action: PlacementAction;
  reason?: string | null;
  actor: string;
  /** extra columns written with the status, e.g. the message id when publishing */
  changes?: Partial<PlacementEntity>;
  followUps?: FollowUpJob[];
}

/**
 * Applies one transition of the state machine in the caller's transaction: the status update
 * guarded by the current status, the escrow movement it implies, a history row and the outbox
 * rows for what happens next. Nothing here commits on its own.
 */
@Injectable()
export class PlacementTransitions {
  constructor(
    private readonly ledger: LedgerService,
    @Inject(PLACARD_CONFIG) private readonly config: PlacardConfig,
  ) {}

  async apply(manager: EntityManager, placement: PlacementEntity, request: TransitionRequest): Promise<PlacementEntity> {
    const transition = transitionFor(request.action, placement.status);
    const from: PlacementStatus = placement.status;
    const changes: Partial<PlacementEntity> = { ...request.changes, status: transition.to, statusReason: request.reason ?? null };
    const result = await manager
      .createQueryBuilder()
      .update(PlacementEntity)
      .set(changes)
      .where('id = :id AND status = :from', { id: placement.id, from })
      .execute();
    if (result.affected !== 1) {
      // somebody else moved it first: re-read, let the state machine refuse the action from where it
      // is now, or apply it from there (a send flagged while in flight is then still recorded)
      const current = await manager.findOneByOrFail(PlacementEntity, { id: placement.id });
      transitionFor(request.action, current.status);
      if (current.status === from) throw new Error(`placement ${placement.id} changed concurrently`);
      return this.apply(manager, current, request);
    }
    await this.moveEscrow(manager, placement, transition.escrow, request.action);
    await manager.query(
      `INSERT INTO placement_events (placement_id, from_status, to_status, reason, actor) VALUES ($1, $2, $3, $4, $5)`,
      [placement.id, from, transition.to, request.reason ?? null, request.actor],
    );
    for (const job of request.followUps ?? []) await enqueueInOutbox(manager, job.name, job.data, job.runAt);
    return manager.findOneByOrFail(PlacementEntity, { id: placement.id });
  }

  private async moveEscrow(manager: EntityManager, placement: PlacementEntity, effect: 'none' | 'refund' | 'release', action: string): Promise<void> {
    const { currency, priceMinor, feeMinor } = placement;
    const escrow = LedgerAccounts.escrow(placement.advertiserId, placement.id, currency);
    if (effect === 'refund') {
      await this.ledger.post(manager, {
        kind: 'placement_refund',
        reference: `placement:${placement.id}:escrow-release`,
        description: `Escrow of placement ${placement.id} returned to the advertiser (${action})`,
        lines: [
          { account: escrow, amountMinor: -priceMinor },
          { account: LedgerAccounts.advertiserAvailable(placement.advertiserId, currency), amountMinor: priceMinor },
        ],
      });
    } else if (effect === 'release') {
      const lines = [
        { account: escrow, amountMinor: -priceMinor },
        { account: LedgerAccounts.ownerEarnings(placement.ownerId, currency), amountMinor: priceMinor - feeMinor },
      ];
      if (feeMinor > 0) lines.push({ account: LedgerAccounts.platformFees(currency, placement.id), amountMinor: feeMinor });
      await this.ledger.post(manager, {
        kind: 'placement_payout',
        reference: `placement:${placement.id}:escrow-release`,
        description: `Escrow of placement ${placement.id} paid to the owner, less the platform fee`,
        lines: lines.filter((line) => line.amountMinor !== 0),
      });
    }
  }

  /** The reservation made when a placement is booked. */
  /** The booking's entry: the price from the advertiser's balance into this placement's escrow. */
  reserveEntry(placement: PlacementEntity): JournalEntryInput {
    return {
      kind: 'placement_reserve',
      reference: `placement:${placement.id}:escrow-reserve`,
      description: `Price of placement ${placement.id} moved into escrow`,
      lines: [
        { account: LedgerAccounts.advertiserAvailable(placement.advertiserId, placement.currency), amountMinor: -placement.priceMinor },
        { account: LedgerAccounts.escrow(placement.advertiserId, placement.id, placement.currency), amountMinor: placement.priceMinor },
      ],
    };
  }

  get feeBps(): number {
    return this.config.platformFeeBps;
  }
}
