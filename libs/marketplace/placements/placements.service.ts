import { Inject, Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { DomainError, ErrorCode, decodeCursor, encodeCursor, notFound } from '#libs/common';
import { PLACARD_CONFIG, PlacardConfig, scaledMs } from '#libs/config';
import { isExclusionViolation, withTransaction } from '#libs/database';
import { platformFeeMinor } from '#libs/ledger';
import { enqueueInOutbox } from '#libs/queue';
import type { CreativeEntity } from '../campaigns/campaign.entities';
import { composePostText, contentHash } from '../campaigns/post-content';
import { ChannelEntity } from '../channels/channel.entities';
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
      messageId: null,
      publishedAt: null,
    });

    try {
      const event = await withTransaction(this.dataSource, async (tx) => {
        await tx.insert(PlacementEntity, placement); // fills in the id and the column defaults
        await this.transitions.reserve(tx, placement);
        const [history] = await tx.query(
          `INSERT INTO placement_events (placement_id, from_status, to_status, reason, actor) VALUES ($1, NULL, 'offered', NULL, 'advertiser') RETURNING *`,
          [placement.id],
        );
        await enqueueInOutbox(tx, 'expire-offer', { placementId: placement.id }, offerExpiresAt);
        return tx.create(PlacementEventEntity, {
          id: history.id,
          placementId: placement.id,
          fromStatus: null,
          toStatus: 'offered',
          reason: null,
          actor: 'advertiser',
          at: history.at,
        });
      });
      return { placement, history: [event], checks: [] };
    } catch (error) {
      if (isExclusionViolation(error, 'placements_no_overlapping_top')) {
        throw new DomainError(ErrorCode.SlotTaken, undefined, { channelId: channel.id, startsAt: startsAt.toISOString(), topEndsAt: topEndsAt.toISOString() });
      }
      throw error;
    }
  }

  /** Everything a booking needs, read in two queries; each missing piece is its own clear error. */
  private async bookingFacts(advertiserId: string, input: BookingInput) {
    const [creative]: {
      id: string;
      campaign_id: string;
      text: string;
      parse_mode: 'HTML' | null;
      buttons: CreativeEntity['buttons'];
      image_url: string | null;
      topics: string[];
      excluded_topics: string[];
      regulator_token: string | null;
      advertiser_name: string;
    }[] = await this.dataSource.query(
      `SELECT cr.id, cr.campaign_id, cr.text, cr.parse_mode, cr.buttons, cr.image_url,
              ca.topics, ca.excluded_topics, ca.regulator_token, a.name AS advertiser_name
         FROM creatives cr JOIN campaigns ca ON ca.id = cr.campaign_id JOIN accounts a ON a.id = cr.advertiser_id
        WHERE cr.id = $1 AND cr.advertiser_id = $2`,
      [input.creativeId, advertiserId],
    );
    if (!creative) throw notFound('creative');
    const [channel]: {
      id: string;
      owner_id: string;
      status: string;
      status_reason: string | null;
      price_minor: string | null;
      currency: string | null;
      top_minutes: number | null;
      feed_minutes: number | null;
      offered: string[];
    }[] = await this.dataSource.query(
      `SELECT c.id, c.owner_id, c.status, c.status_reason, p.price_minor, p.currency, f.top_minutes, f.feed_minutes,
              ARRAY(SELECT format FROM channel_prices WHERE channel_id = c.id ORDER BY format) AS offered
         FROM channels c
         LEFT JOIN channel_prices p ON p.channel_id = c.id AND p.format = $2
         LEFT JOIN formats f ON f.code = p.format
        WHERE c.id = $1`,
      [input.channelId, input.format],
    );
    if (!channel || channel.status === 'pending') throw notFound('channel');
    if (channel.status !== 'verified') {
      throw new DomainError(ErrorCode.ChannelNotVerified, 'The channel is suspended and takes no bookings.', { reason: channel.status_reason });
    }
    if (channel.price_minor === null || channel.top_minutes === null || channel.feed_minutes === null || channel.currency === null) {
      throw new DomainError(ErrorCode.FormatNotOffered, undefined, { format: input.format, offered: channel.offered });
    }
    return {
      creative: {
        id: creative.id,
        campaignId: creative.campaign_id,
        text: creative.text,
        parseMode: creative.parse_mode,
        buttons: creative.buttons,
        imageUrl: creative.image_url,
        topics: creative.topics,
        excludedTopics: creative.excluded_topics,
        regulatorToken: creative.regulator_token,
        advertiserName: creative.advertiser_name,
      },
      channel: { id: channel.id, ownerId: channel.owner_id },
      price: {
        priceMinor: Number(channel.price_minor),
        currency: channel.currency,
        topMinutes: channel.top_minutes,
        feedMinutes: channel.feed_minutes,
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
