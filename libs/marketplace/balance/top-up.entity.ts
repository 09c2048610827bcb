import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { moneyColumn } from '#libs/database';

export type TopUpStatus = 'pending' | 'succeeded' | 'failed';

@Entity('top_ups')
@Check('top_ups_positive', 'amount_minor > 0')
@Index('top_ups_account', ['accountId', 'createdAt'])
export class TopUpEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) accountId: string;
  @Column(moneyColumn()) amountMinor: number;
  @Column({ type: 'char', length: 3 }) currency: string;
  @Column({ type: 'text' }) provider: string;
  @Column({ type: 'text' }) status: TopUpStatus;
  @Index('top_ups_provider_ref', { unique: true, where: 'provider_ref IS NOT NULL' })
  @Column({ type: 'text', nullable: true }) providerRef: string | null;
  @Column({ type: 'text', nullable: true }) failureReason: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
