import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { AccountEntity } from '../accounts/account.entities';

/** A campaign lists at most this many topics (the recommendation statement adds their shares term by term). */
export const CAMPAIGN_MAX_TOPICS = 10;

@Entity('campaigns')
@Index('campaigns_advertiser', ['advertiserId', 'createdAt'])
@Check('campaigns_topics_limit', `cardinality(topics) <= ${CAMPAIGN_MAX_TOPICS}`)
export class CampaignEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) advertiserId: string;
  @ManyToOne(() => AccountEntity) @JoinColumn({ name: 'advertiser_id' }) advertiser?: AccountEntity;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text', array: true }) topics: string[];
  @Column({ type: 'text', array: true }) languages: string[];
  @Column({ type: 'text', array: true }) excludedTopics: string[];
  /** a regulator's ad token (e.g. an ERID) printed in the disclosure label */
  @Column({ type: 'text', nullable: true }) regulatorToken: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

export interface CreativeButton {
  text: string;
  url: string;
}

@Entity('creatives')
export class CreativeEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) campaignId: string;
  @ManyToOne(() => CampaignEntity) @JoinColumn({ name: 'campaign_id' }) campaign?: CampaignEntity;
  @Column({ type: 'uuid' }) advertiserId: string;
  @Column({ type: 'text' }) text: string;
  @Column({ type: 'text', nullable: true }) parseMode: 'HTML' | null;
  @Column({ type: 'jsonb', default: () => "'[]'" }) buttons: CreativeButton[];
  @Column({ type: 'text', nullable: true }) imageUrl: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
