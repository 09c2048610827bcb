import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { moneyColumn } from '#libs/database';
import { AccountEntity } from '../accounts/account.entities';

export type ChannelStatus = 'pending' | 'verified' | 'suspended';

/** One price as catalog cards show it. */
export interface ChannelPrice {
  format: string;
  priceMinor: number;
  currency: string;
}

export interface StoredTopicProfile {
  language: string | null;
  topics: { topic: string; score: number }[];
  brandSafety: { category: string; score: number }[];
  /** the highest decay-weighted score of one post per category (profiles stored since it exists) */
  brandSafetyPeaks?: { category: string; score: number }[];
  postCount: number;
  computedAt: string;
}

/** One of the posts that explain a profile (an id of channel_posts) with its own scores. */
export interface StoredPostEvidence {
  postId: string;
  weight: number;
  topics: { topic: string; score: number }[];
  brandSafety: { category: string; score: number }[];
}

@Entity('channels')
@Index('channels_verified_chat', ['platform', 'chatId'], { unique: true, where: `status <> 'pending'` })
@Index('channels_catalog', ['status', 'subscribers', 'id'])
export class ChannelEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) ownerId: string;
  @ManyToOne(() => AccountEntity) @JoinColumn({ name: 'owner_id' }) owner?: AccountEntity;
  @Column({ type: 'text', default: 'telegram' }) platform: 'telegram';
  /** what the owner typed: @username or a numeric chat id */
  @Column({ type: 'text' }) handle: string;
  @Column({ type: 'text', nullable: true }) chatId: string | null;
  @Column({ type: 'text', nullable: true }) username: string | null;
  @Index('channels_title_trgm', { synchronize: false })
  @Column({ type: 'text', nullable: true }) title: string | null;
  @Column({ type: 'text', nullable: true }) language: string | null;
  @Column({ type: 'integer', default: 0 }) subscribers: number;
  @Column({ type: 'text', default: 'pending' }) status: ChannelStatus;
  @Column({ type: 'text', nullable: true }) statusReason: string | null;
  @Column({ type: 'text' }) verificationCode: string;
  @Column({ type: 'timestamptz', nullable: true }) verifiedAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) lastCheckedAt: Date | null;
  /** small and read often (catalog cards, recommendations, the context check): the evidence is kept apart */
  @Column({ type: 'jsonb', nullable: true }) topicProfile: StoredTopicProfile | null;
  /** the posts that explain the profile, strongest first; large, so not loaded with the entity */
  @Column({ type: 'jsonb', nullable: true, select: false }) topicEvidence: StoredPostEvidence[] | null;
  /**
   * The channel's prices as cards show them (`[{format, priceMinor, currency}]`, formats in order): a
   * copy of its channel_prices rows that triggers on that table keep, so that a card is one row to read.
   */
  @Column({ type: 'jsonb', default: () => "'[]'", insert: false, update: false, select: false }) pricing: ChannelPrice[];
  /** topic ids whose profile score passes the catalog threshold, for the indexed topic filter */
  @Index('channels_topics', { synchronize: false })
  @Column({ type: 'text', array: true, default: () => "'{}'" }) topicIds: string[];
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/**
 * A channel's profile as rows: one per topic share and one per brand-safety score (topic
 * `bs:<category>`), rewritten by ProfilesService in the statement that stores the profile. Each row
 * also carries what recommendations filter and rank on, so that their candidates come from one
 * index-only scan per wanted topic without a probe per channel: whether the channel is verified, its
 * subscribers and language (kept in step with `channels` by the trigger `channels_topic_scores`), its
 * highest brand-safety score and all of its rows as one object (`shares`, topic → score). The partial
 * index `channel_topic_scores_match` (topic, score DESC) INCLUDE (those columns) WHERE verified is
 * written by hand in migration TopicScoresMatchColumns, as TypeORM cannot declare INCLUDE.
 */
@Entity('channel_topic_scores')
@Index('channel_topic_scores_match', { synchronize: false })
export class ChannelTopicScoreEntity {
  @PrimaryColumn({ type: 'uuid' }) channelId: string;
  @ManyToOne(() => ChannelEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'channel_id' }) channel?: ChannelEntity;
  @PrimaryColumn({ type: 'text' }) topic: string;
  @Column({ type: 'double precision' }) score: number;
  @Column({ type: 'boolean', default: false }) channelVerified: boolean;
  @Column({ type: 'integer', default: 0 }) channelSubscribers: number;
  @Column({ type: 'text', nullable: true }) channelLanguage: string | null;
  /** the channel's highest `bs:` score, 0 without any */
  @Column({ type: 'double precision', default: 0 }) brandSafetyMax: number;
  /** every row of the channel, topic → score */
  @Column({ type: 'jsonb', default: () => "'{}'" }) shares: Record<string, number>;
}

/**
 * The catalog's topic filter as an index: one row per topic in `topic_ids` of a verified channel,
 * with its subscribers, so a topic's page in catalog order is a scan of (topic, subscribers, id).
 * Kept by the trigger `channels_catalog_topics` on channels (migration TopicScoresAndCatalogTopicsSync).
 */
@Entity('channel_catalog_topics')
@Index('channel_catalog_topics_order', ['topic', 'subscribers', 'channelId'])
export class ChannelCatalogTopicEntity {
  @PrimaryColumn({ type: 'uuid' }) channelId: string;
  @ManyToOne(() => ChannelEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'channel_id' }) channel?: ChannelEntity;
  @PrimaryColumn({ type: 'text' }) topic: string;
  @Column({ type: 'integer' }) subscribers: number;
}

/** A format is its two durations: how long the post stays on top, and how long it stays at all. */
@Entity('formats')
export class FormatEntity {
  @PrimaryColumn({ type: 'text' }) code: string;
  @Column({ type: 'integer' }) topMinutes: number;
  @Column({ type: 'integer' }) feedMinutes: number;
  @Column({ type: 'text' }) description: string;
}

@Entity('channel_prices')
@Check('channel_prices_positive', 'price_minor > 0')
export class ChannelPriceEntity {
  @PrimaryColumn({ type: 'uuid' }) channelId: string;
  @ManyToOne(() => ChannelEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'channel_id' }) channel?: ChannelEntity;
  @PrimaryColumn({ type: 'text' }) format: string;
  @ManyToOne(() => FormatEntity) @JoinColumn({ name: 'format' }) formatRow?: FormatEntity;
  @Column(moneyColumn()) priceMinor: number;
  @Column({ type: 'char', length: 3 }) currency: string;
}

/** Channel content only: text, entities, dates and ids. No person-level field is ever stored. */
@Entity('channel_posts')
@Index('channel_posts_message', ['channelId', 'messageId'], { unique: true })
@Index('channel_posts_recent', ['channelId', 'postedAt'])
export class ChannelPostEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) channelId: string;
  @ManyToOne(() => ChannelEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'channel_id' }) channel?: ChannelEntity;
  @Column({ type: 'integer' }) messageId: number;
  @Column({ type: 'timestamptz' }) postedAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) editedAt: Date | null;
  @Column({ type: 'text' }) text: string;
  @Column({ type: 'jsonb', default: () => "'[]'" }) entities: unknown[];
  @CreateDateColumn({ type: 'timestamptz' }) receivedAt: Date;
}
