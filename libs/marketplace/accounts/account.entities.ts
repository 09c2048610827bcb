import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';

export type AccountKind = 'advertiser' | 'owner' | 'operator';

@Entity('accounts')
export class AccountEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'text' }) kind: AccountKind;
  @Column({ type: 'text' }) email: string;
  @Column({ type: 'text' }) name: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

/** API keys are shown once; only their SHA-256 is stored. The prefix says which audience they are for. */
@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ type: 'uuid' }) accountId: string;
  @ManyToOne(() => AccountEntity, { onDelete: 'CASCADE' }) @JoinColumn({ name: 'account_id' }) account?: AccountEntity;
  /** first characters of the key, safe to show in listings */
  @Column({ type: 'text' }) displayPrefix: string;
  @Index('api_keys_hash', { unique: true }) @Column({ type: 'text' }) keyHash: string;
  @Column({ type: 'text', nullable: true }) label: string | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) revokedAt: Date | null;
}
