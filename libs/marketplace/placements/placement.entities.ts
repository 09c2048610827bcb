import { Check, Column, CreateDateColumn, Entity, Exclusion, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { moneyColumn } from '#libs/database';
import { ChannelEntity } from '../channels/channel.entities';
import { CreativeButton, CreativeEntity } from '../campaigns/campaign.entities';
import { PlacementStatus } from './placement-status';

/** none → started (written before the Bot API call) → sent (written with the message id after it) */
export type SendState = 'none' | 'started' | 'sent';

/**
 * One booked post in one channel at one time in one format. The exclusion constraint sells a
 * channel's top window once: two live placements of a channel may not overlap on top.
 */
@Entity('placements')
@Exclusion(
  'placements_no_overlapping_top',
  `USING gist ("channel_id" WITH =, tstzrange("starts_at", "top_ends_at", '[)') WITH &&) WHERE ("status" IN ('offered', 'scheduled', 'published', 'completed', 'needs_review'))`,
)
@Check('placements_price_split', 'fee_minor >= 0 AND fee_minor <= price_minor')
@Check('placements_windows', 'starts_at < top_ends_at AND top_ends_at <= ends_at')
@Index('placements_advertiser', ['advertiserId', 'createdAt'])
@Index('placements_owner_status', ['ownerId', 'status'])
@Index('placements_status_starts', ['status', 'startsAt'])
export class PlacementEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) advertiserId: string;
  @Column({ type: 'uuid' }) ownerId: string;
  @Column({ type: 'uuid' }) channelId: string;
  @ManyToOne(() => ChannelEntity) @JoinColumn({ name: 'channel_id' }) channel?: ChannelEntity;
  @Column({ type: 'uuid' }) campaignId: string;
  @Column({ type: 'uuid' }) creativeId: string;
  @ManyToOne(() => CreativeEntity) @JoinColumn({ name: 'creative_id' }) creative?: CreativeEntity;
  @Column({ type: 'text' }) format: string;
  @Column({ type: 'timestamptz' }) startsAt: Date;
  @Column({ type: 'timestamptz' }) topEndsAt: Date;
  @Column({ type: 'timestamptz' }) endsAt: Date;
  @Column({ type: 'timestamptz' }) offerExpiresAt: Date;
  @Column(moneyColumn()) priceMinor: number;
  @Column(moneyColumn()) feeMinor: number;
  @Column({ type: 'char', length: 3 }) currency: string;
  @Column({ type: 'text' }) status: PlacementStatus;
  @Column({ type: 'text', nullable: true }) statusReason: string | null;
  /** the exact text that will be posted, disclosure label included, frozen at booking */
  @Column({ type: 'text' }) postText: string;
  @Column({ type: 'text', nullable: true }) postParseMode: 'HTML' | null;
  @Column({ type: 'jsonb', default: () => "'[]'" }) postButtons: CreativeButton[];
  @Column({ type: 'text', nullable: true }) postImageUrl: string | null;
  @Column({ type: 'text' }) contentHash: string;
  @Column({ type: 'text', array: true }) bookedTopics: string[];
  @Column({ type: 'text', array: true }) excludedTopics: string[];
  @Column({ type: 'text', default: 'none' }) sendState: SendState;
  @Column({ type: 'timestamptz', nullable: true }) sendStartedAt: Date | null;
  @Column({ type: 'integer', nullable: true }) messageId: number | null;
  @Column({ type: 'timestamptz', nullable: true }) publishedAt: Date | null;
  /** when the verify job looks again; the last one is always the end of the format */
  @Column({ type: 'jsonb', default: () => "'[]'" }) checkpoints: string[];
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

@Entity('placement_events')
@Index('placement_events_placement', ['placementId', 'at'])
export class PlacementEventEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column({ type: 'uuid' }) placementId: string;
  @Column({ type: 'text', nullable: true }) fromStatus: PlacementStatus | null;
  @Column({ type: 'text' }) toStatus: PlacementStatus;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ type: 'text' }) actor: string;
  @CreateDateColumn({ type: 'timestamptz' }) at: Date;
}

export type CheckVerdict = 'passed' | 'failed' | 'not_checked';

@Entity('delivery_checks')
@Index('delivery_checks_placement', ['placementId', 'at'])
@Index('delivery_checks_once', ['placementId', 'checkpoint', 'kind'], { unique: true })
export class DeliveryCheckEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column({ type: 'uuid' }) placementId: string;
  /** which checkpoint (index into placement.checkpoints) produced it: a re-run job cannot add it twice */
  @Column({ type: 'integer' }) checkpoint: number;
  @Column({ type: 'text' }) kind: string;
  @Column({ type: 'text' }) verdict: CheckVerdict;
  @Column({ type: 'text' }) detail: string;
  @Column({ type: 'jsonb', nullable: true }) data: Record<string, unknown> | null;
  @CreateDateColumn({ type: 'timestamptz' }) at: Date;
}
