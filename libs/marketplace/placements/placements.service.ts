import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { DomainError, ErrorCode, decodeCursor, encodeCursor, notFound } from '#libs/common';
import { PLACARD_CONFIG, PlacardConfig, scaledMs } from '#libs/config';
import { isExclusionViolation, queryPrepared, withRetries, withTransaction } from '#libs/database';
import { entryStatement, platformFeeMinor, runEntry } from '#libs/ledger';
import { enqueueInOutbox, outboxValues } from '#libs/queue';
import type { CreativeEntity } from '../campaigns/campaign.entities';
import { composePostText, contentHash } from '../campaigns/post-content';
import { ChannelEntity } from '../channels/channel.entities';
import { DeliveryCheckEntity, PlacementEntity, PlacementEventEntity } from './placement.entities';
import { PlacementStatus } from './placement-status';
import { PlacementTransitions } from './placement-transitions';
import { BOOKING_FACTS_SQL, INSERT_OFFER_SQL, OFFER_PARAMS, OFFER_SELECT } from './booking-sql';

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

interface OfferWritten {
  created_at: Date;
  updated_at: Date;
  event_id: string;
  event_at: Date;
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
  async book(advertiserId: string, input: BookingInput): Promise<PlacementView> {
    const now = Date.now();
    if (input.startsAt.getTime() <= now) throw new DomainError(ErrorCode.StartsAtInPast, undefined, { field: 'startsAt' });
    const { creative, channel, price } = await this.bookingFacts(advertiserId, input);

    const startsAt = input.startsAt;
    const topEndsAt = new Date(startsAt.getTime() + scaledMs(this.config, price.topMinutes));
    const endsAt = new Date(startsAt.getTime() + scaledMs(this.config, price.feedMinutes));
    const offerExpiresAt = new Date(Math.min(now + scaledMs(this.config, this.config.offerExpiryHours * 60), startsAt.getTime()));
    const postText = composePostText(creative.text, creative.advertiserName, creative.regulatorToken, creative.parseMode);
    const placement = this.dataSource.manager.create(PlacementEntity, {
      id: randomUUID(),
      advertiserId,
      ownerId: channel.ownerId,
      channelId: channel.id,
      campaignId: creative.campaignId,
      creativeId: creative.id,
      format: input.format,
      startsAt,
      topEndsAt,
      endsAt,
      offerExpiresAt,
      priceMinor: price.priceMinor,
      feeMinor: platformFeeMinor(price.priceMinor, this.transitions.feeBps),
      currency: price.currency,
      status: 'offered',
      statusReason: null,
      postText,
      postParseMode: creative.parseMode,
      postButtons: creative.buttons,
      postImageUrl: creative.imageUrl,
      contentHash: contentHash(postText, creative.parseMode),
      bookedTopics: creative.topics,
      excludedTopics: creative.excludedTopics,
      sendState: 'none',
      sendStartedAt: null,
      messageId: null,
      publishedAt: null,
      checkpoints: [],
    });

    const entry = this.transitions.reserveEntry(placement);
    const ledger = entryStatement(entry, OFFER_PARAMS);
    const statement = `${INSERT_OFFER_SQL}, ${ledger.ctes} SELECT ${OFFER_SELECT}, ${ledger.select}`;
    try {
      // one statement, so no BEGIN/COMMIT round trips: it commits whole or not at all; prepared, so
      // Postgres plans its CTEs once per connection instead of on every booking
      const [written] = await withRetries(() =>
        runEntry(entry, () =>
          queryPrepared<OfferWritten>(this.dataSource, statement, [
            placement.id,
            placement.advertiserId,
            placement.ownerId,
            placement.channelId,
            placement.campaignId,
            placement.creativeId,
            placement.format,
            placement.startsAt,
            placement.topEndsAt,
            placement.endsAt,
            placement.offerExpiresAt,
            placement.priceMinor,
            placement.feeMinor,
            placement.currency,
            placement.postText,
            placement.postParseMode,
            JSON.stringify(placement.postButtons),
            placement.postImageUrl,
            placement.contentHash,
            placement.bookedTopics,
            placement.excludedTopics,
            ...outboxValues('expire-offer', { placementId: placement.id }, offerExpiresAt),
            ...ledger.params,
          ]),
        ),
      );
      placement.createdAt = written.created_at;
      placement.updatedAt = written.updated_at;
      const event = this.dataSource.manager.create(PlacementEventEntity, {
        id: written.event_id,
        placementId: placement.id,
        fromStatus: null,
        toStatus: 'offered',
        reason: null,
        actor: 'advertiser',
        at: written.event_at,
      });
      return { placement, history: [event], checks: [] };
    } catch (error) {
      if (isExclusionViolation(error, 'placements_no_overlapping_top')) {
        throw new DomainError(ErrorCode.SlotTaken, undefined, { channelId: channel.id, startsAt: startsAt.toISOString(), topEndsAt: topEndsAt.toISOString() });
      }
      throw error;
    }
  }

  /** Everything a booking needs, read in one query; each missing piece is its own clear error. */
  private async bookingFacts(advertiserId: string, input: BookingInput) {
    const [row]: {
      creative_id: string | null;
      campaign_id: string;
      text: string;
      parse_mode: 'HTML' | null;
      buttons: CreativeEntity['buttons'];
      image_url: string | null;
      topics: string[];
      excluded_topics: string[];
      regulator_token: string | null;
      advertiser_name: string;
      channel_id: string | null;
      owner_id: string;
      status: string;
      status_reason: string | null;
      price_minor: string | null;
      currency: string | null;
      top_minutes: number | null;
      feed_minutes: number | null;
      offered: string[];
    }[] = await queryPrepared(this.dataSource, BOOKING_FACTS_SQL, [input.creativeId, advertiserId, input.channelId, input.format]);
    if (row.creative_id === null) throw notFound('creative');
    if (row.channel_id === null || row.status === 'pending') throw notFound('channel');
    if (row.status !== 'verified') {
      throw new DomainError(ErrorCode.ChannelNotVerified, 'The channel is suspended and takes no bookings.', { reason: row.status_reason });
    }
    if (row.price_minor === null || row.top_minutes === null || row.feed_minutes === null || row.currency === null) {
      throw new DomainError(ErrorCode.FormatNotOffered, undefined, { format: input.format, offered: row.offered });
    }
    return {
      creative: {
        id: row.creative_id,
        campaignId: row.campaign_id,
        text: row.text,
        parseMode: row.parse_mode,
        buttons: row.buttons,
        imageUrl: row.image_url,
        topics: row.topics,
        excludedTopics: row.excluded_topics,
        regulatorToken: row.regulator_token,
        advertiserName: row.advertiser_name,
      },
      channel: { id: row.channel_id, ownerId: row.owner_id },
      price: {
        priceMinor: Number(row.price_minor),
        currency: row.currency,
        topMinutes: row.top_minutes,
        feedMinutes: row.feed_minutes,
      },
    };
  }

  async cancel(advertiserId: string, placementId: string): Promise<PlacementEntity> {
    return this.act(placementId, { advertiserId }, async (tx, placement) => {
      // the row lock orders this against the worker's claim of the send: once a send has started,
      // the post may already be in the channel, so it is too late to take the money back
      if (placement.sendState !== 'none') {
        throw new DomainError(ErrorCode.InvalidTransition, 'The post is being published; it can no longer be cancelled.', {
          status: placement.status,
          sendState: placement.sendState,
        });
      }
      return this.transitions.apply(tx, placement, { action: 'cancel', actor: 'advertiser', reason: 'cancelled by the advertiser' });
    });
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
    // most offers are answered long before they expire: look without a lock first
    const current = await this.dataSource.manager.findOneBy(PlacementEntity, { id: placementId });
    if (!current || current.status !== 'offered' || current.offerExpiresAt.getTime() > Date.now()) return current;
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
    const after = decodeCursor(query.cursor, ['time', 'uuid']);
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
