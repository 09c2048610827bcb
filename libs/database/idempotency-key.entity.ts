import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** First responses to write requests carrying an Idempotency-Key, replayed to retries. */
@Entity('idempotency_keys')
export class IdempotencyKeyEntity {
  /** the account id, or "public:<address>" for unauthenticated routes */
  @PrimaryColumn({ type: 'text' }) scope: string;
  @PrimaryColumn({ type: 'text' }) key: string;
  @Column({ type: 'text' }) requestHash: string;
  @Column({ type: 'integer', nullable: true }) responseStatus: number | null;
  @Column({ type: 'jsonb', nullable: true }) responseBody: unknown;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}
