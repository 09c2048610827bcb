import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { DomainError, ErrorCode, decodeCursor, encodeCursor, notFound } from '#libs/common';
import { PLACARD_CONFIG, PlacardConfig, scaledMs } from '#libs/config';
import { isExclusionViolation, withTransaction } from '#libs/database';
import { platformFeeMinor } from '#libs/ledger';
import { enqueueInOutbox } from '#libs/queue';
import { AccountEntity } from '../accounts/account.entities';
import { CampaignEntity, CreativeEntity } from '../campaigns/campaign.entities';
import { composePostText, contentHash } from '../campaigns/post-content';
import { ChannelEntity, ChannelPriceEntity, FormatEntity } from '../channels/channel.entities';
import { DeliveryCheckEntity, PlacementEntity, PlacementEventEntity } from './placement.entities';
import { PlacementStatus } from './placement-status';
import { PlacementTransitions } from './placement-transitions';

export interface BookingInput {
  channelId: string;
  creativeId: string;
  format: string;
  startsAt: Date;
}

export interface PlacementView {
  placement: PlacementEntity;
  history: PlacementEventEntity[];
  checks: DeliveryCheckEntity[];
}

export interface PlacementListQuery {
  status?: PlacementStatus;
  limit?: number;
  cursor?: string;
}

@Injectable()
export class PlacementsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: PlacementTransitions,
    @Inject(PLACARD_CONFIG) private readonly config: PlacardConfig,
  ) {}

  /**
   * Books a slot: the price moves from the advertiser's balance into this placement's escrow and
   * the owner gets an offer. The database refuses an overlapping top window (slot_taken) and a
   * balance that does not cover the price (insufficient_balance); either way nothing is written.
   */
  async book(advertiserId: string, input: BookingInput): Promise<PlacementEntity> {
    const now = Date.now();
    if (input.startsAt.getTime() <= now) throw new DomainError(ErrorCode.StartsAtInPast, undefined, { field: 'startsAt' });
    const manager = this.dataSource.manager;
    const advertiser = await manager.findOneByOrFail(AccountEntity, { id: advertiserId });
    const creative = await manager.findOneBy(CreativeEntity, { id: input.creativeId, advertiserId });
    if (!creative) throw notFound('creative');
    const campaign = await manager.findOneByOrFail(CampaignEntity, { id: creative.campaignId });
    const channel = await manager.findOneBy(ChannelEntity, { id: input.channelId });
    if (!channel || channel.status === 'pending') throw notFound('channel');
    if (channel.status !== 'verified') {
      throw new DomainError(ErrorCode.ChannelNotVerified, 'The channel is suspended and takes no bookings.', { reason: channel.statusReason });
    }
    const price = await manager.findOneBy(ChannelPriceEntity, { channelId: channel.id, format: input.format });
    if (!price) {
      const offered = await manager.find(ChannelPriceEntity, { where: { channelId: channel.id } });
      throw new DomainError(ErrorCode.FormatNotOffered, undefined, { format: input.format, offered: offered.map((entry) => entry.format) });
    }
    const format = await manager.findOneByOrFail(FormatEntity, { code: input.format });

    const startsAt = input.startsAt;
    const topEndsAt = new Date(startsAt.getTime() + scaledMs(this.config, format.topMinutes));
    const endsAt = new Date(startsAt.getTime() + scaledMs(this.config, format.feedMinutes));
    const offerExpiresAt = new Date(Math.min(now + scaledMs(this.config, this.config.offerExpiryHours * 60), startsAt.getTime()));
    const postText = composePostText(creative.text, advertiser.name, campaign.regulatorToken, creative.parseMode);

    try {
      return await withTransaction(this.dataSource, async (tx) => {
        const placement = await tx.save(
          PlacementEntity,
          tx.create(PlacementEntity, {
            advertiserId,
            ownerId: channel.ownerId,
            channelId: channel.id,
            campaignId: campaign.id,
            creativeId: creative.id,
            format: format.code,
            startsAt,
            topEndsAt,
            endsAt,
            offerExpiresAt,
            priceMinor: price.priceMinor,
            feeMinor: platformFeeMinor(price.priceMinor, this.transitions.feeBps),
            currency: price.currency,
            status: 'offered',
            postText,
            postParseMode: creative.parseMode,
            postButtons: creative.buttons,
            postImageUrl: creative.imageUrl,
            contentHash: contentHash(postText, creative.parseMode),
            bookedTopics: campaign.topics,
            excludedTopics: campaign.excludedTopics,
          }),
        );
        await this.transitions.reserve(tx, placement);
        await tx.query(`INSERT INTO placement_events (placement_id, from_status, to_status, reason, actor) VALUES ($1, NULL, 'offered', NULL, 'advertiser')`, [
          placement.id,
        ]);
        await enqueueInOutbox(tx, 'expire-offer', { placementId: placement.id }, offerExpiresAt);
        return tx.findOneByOrFail(PlacementEntity, { id: placement.id });
      });
    } catch (error) {
      if (isExclusionViolation(error, 'placements_no_overlapping_top')) {
        throw new DomainError(ErrorCode.SlotTaken, undefined, { channelId: channel.id, startsAt: startsAt.toISOString(), topEndsAt: topEndsAt.toISOString() });
      }
      throw error;
    }
  }

  async cancel(advertiserId: string, placementId: string): Promise<PlacementEntity> {
    return this.act(placementId, { advertiserId }, async (tx, placement) =>
      this.transitions.apply(tx, placement, { action: 'cancel', actor: 'advertiser', reason: 'cancelled by the advertiser' }),
    );
  }

  async accept(ownerId: string, placementId: string): Promise<PlacementEntity> {
    return this.act(placementId, { ownerId }, async (tx, placement) => {
      if (placement.status === 'offered' && placement.offerExpiresAt.getTime() <= Date.now()) {
        throw new DomainError(ErrorCode.InvalidTransition, 'The offer has expired; the escrow goes back to the advertiser.', {
          status: placement.status,
          offerExpiresAt: placement.offerExpiresAt.toISOString(),
        });
      }
      const channel = await tx.findOneByOrFail(ChannelEntity, { id: placement.channelId });
      if (channel.status !== 'verified') {
        throw new DomainError(ErrorCode.ChannelNotVerified, 'The channel is suspended; fix the bot rights and verify it again before accepting.', {
          reason: channel.statusReason,
        });
      }
      return this.transitions.apply(tx, placement, {
        action: 'accept',
        actor: 'owner',
        followUps: [{ name: 'publish', data: { placementId }, runAt: placement.startsAt }],
      });
    });
  }

  async reject(ownerId: string, placementId: string, reason: string): Promise<PlacementEntity> {
    return this.act(placementId, { ownerId }, (tx, placement) => this.transitions.apply(tx, placement, { action: 'reject', actor: 'owner', reason }));
  }

  /** Expires an unanswered offer once its time is up; a no-op for anything else (safe to run twice). */
  async expireOffer(placementId: string): Promise<PlacementEntity | null> {
    return withTransaction(this.dataSource, async (tx) => {
      const placement = await tx.findOne(PlacementEntity, { where: { id: placementId }, lock: { mode: 'pessimistic_write' } });
      if (!placement || placement.status !== 'offered' || placement.offerExpiresAt.getTime() > Date.now()) return placement;
      return this.transitions.apply(tx, placement, { action: 'expire', actor: 'worker', reason: 'the owner did not answer in time' });
    });
  }

  /** An operator's decision on a placement in needs_review, after looking at the channel. */
  async resolveReview(placementId: string, outcome: 'delivered' | 'undelivered', reason: string, operatorId: string): Promise<PlacementEntity> {
    return withTransaction(this.dataSource, async (tx) => {
      const placement = await tx.findOne(PlacementEntity, { where: { id: placementId }, lock: { mode: 'pessimistic_write' } });
      if (!placement) throw notFound('placement');
      return this.transitions.apply(tx, placement, {
        action: outcome === 'delivered' ? 'resolve_delivered' : 'resolve_undelivered',
        actor: `operator:${operatorId}`,
        reason,
      });
    });
  }

  listForReview(): Promise<PlacementEntity[]> {
    return this.dataSource.manager.find(PlacementEntity, { where: { status: 'needs_review' }, order: { updatedAt: 'ASC' }, take: 200 });
  }

  async getAny(placementId: string): Promise<PlacementView> {
    const placement = await this.dataSource.manager.findOneBy(PlacementEntity, { id: placementId });
    if (!placement) throw notFound('placement');
    return this.view(placement);
  }

  async getForAdvertiser(advertiserId: string, placementId: string): Promise<PlacementView> {
    const placement = await this.dataSource.manager.findOneBy(PlacementEntity, { id: placementId, advertiserId });
    if (!placement) throw notFound('placement');
    return this.view(placement);
  }

  async getForOwner(ownerId: string, placementId: string): Promise<PlacementView> {
    const placement = await this.dataSource.manager.findOneBy(PlacementEntity, { id: placementId, ownerId });
    if (!placement) throw notFound('offer');
    return this.view(placement);
  }

  async list(party: { advertiserId: string } | { ownerId: string }, query: PlacementListQuery): Promise<{ items: PlacementView[]; nextCursor: string | null }> {
    const limit = query.limit ?? 50;
    const builder = this.dataSource.manager.createQueryBuilder(PlacementEntity, 'p');
    if ('advertiserId' in party) builder.where('p.advertiser_id = :id', { id: party.advertiserId });
    else builder.where('p.owner_id = :id', { id: party.ownerId });
    if (query.status) builder.andWhere('p.status = :status', { status: query.status });
    const after = decodeCursor(query.cursor, 2);
    if (after) builder.andWhere('(p.created_at, p.id) < (:at, :afterId)', { at: new Date(String(after[0])), afterId: String(after[1]) });
    const rows = await builder.orderBy('p.created_at', 'DESC').addOrderBy('p.id', 'DESC').take(limit + 1).getMany();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: await this.views(page),
      nextCursor: rows.length > limit && last ? encodeCursor([last.createdAt.toISOString(), last.id]) : null,
    };
  }

  private async view(placement: PlacementEntity): Promise<PlacementView> {
    const [view] = await this.views([placement]);
    return view;
  }

  private async views(placements: PlacementEntity[]): Promise<PlacementView[]> {
    if (placements.length === 0) return [];
    const ids = placements.map((placement) => placement.id);
    const manager = this.dataSource.manager;
    const history = await manager.find(PlacementEventEntity, { where: { placementId: In(ids) }, order: { id: 'ASC' } });
    const checks = await manager.find(DeliveryCheckEntity, { where: { placementId: In(ids) }, order: { id: 'ASC' } });
    return placements.map((placement) => ({
      placement,
      history: history.filter((event) => event.placementId === placement.id),
      checks: checks.filter((check) => check.placementId === placement.id),
    }));
  }

  private async act(
    placementId: string,
    party: { advertiserId: string } | { ownerId: string },
    work: (tx: EntityManager, placement: PlacementEntity) => Promise<PlacementEntity>,
  ): Promise<PlacementEntity> {
    return withTransaction(this.dataSource, async (tx) => {
      const placement = await tx.findOne(PlacementEntity, { where: { id: placementId, ...party }, lock: { mode: 'pessimistic_write' } });
      if (!placement) throw notFound('advertiserId' in party ? 'placement' : 'offer');
      return work(tx, placement);
    });
  }
}
