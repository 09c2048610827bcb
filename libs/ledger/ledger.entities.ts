import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { moneyColumn } from '#libs/database';

export enum LedgerAccountType {
  AdvertiserAvailable = 'advertiser_available',
  AdvertiserFrozen = 'advertiser_frozen',
  Escrow = 'escrow',
  OwnerEarnings = 'owner_earnings',
  OwnerPayoutsInTransit = 'owner_payouts_in_transit',
  PlatformFees = 'platform_fees',
  External = 'external',
}

/** Types whose balance may never go below zero: the database refuses an entry that would. */
export const NON_NEGATIVE_TYPES: readonly LedgerAccountType[] = [
  LedgerAccountType.AdvertiserAvailable,
  LedgerAccountType.AdvertiserFrozen,
  LedgerAccountType.Escrow,
  LedgerAccountType.OwnerEarnings,
  LedgerAccountType.OwnerPayoutsInTransit,
];

/**
 * One ledger account per (type, holder, reference, currency). `balanceMinor` is a projection of
 * the journal kept in the same transaction as every line; the journal stays the source of truth.
 */
@Entity('ledger_accounts')
@Check('ledger_accounts_non_negative', `NOT non_negative OR balance_minor >= 0`)
@Index('ledger_accounts_holder', ['holderId', 'type'])
export class LedgerAccountEntity {
  @PrimaryColumn({ type: 'text' }) code: string;
  @Column({ type: 'text' }) type: LedgerAccountType;
  @Column({ type: 'uuid', nullable: true }) holderId: string | null;
  @Column({ type: 'text', nullable: true }) reference: string | null;
  @Column({ type: 'char', length: 3 }) currency: string;
  @Column({ type: 'boolean' }) nonNegative: boolean;
  @Column(moneyColumn({ default: 0 })) balanceMinor: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

@Entity('journal_entries')
export class JournalEntryEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  /** what caused the movement, e.g. placement_reserve; and a unique reference so it happens once */
  @Column({ type: 'text' }) kind: string;
  @Index('journal_entries_reference', { unique: true }) @Column({ type: 'text' }) reference: string;
  @Column({ type: 'text' }) description: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
}

@Entity('journal_lines')
@Check('journal_lines_nonzero', `amount_minor <> 0`)
@Index('journal_lines_account', ['accountCode'])
@Index('journal_lines_entry', ['entryId'])
export class JournalLineEntity {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' }) id: string;
  @Column({ type: 'uuid' }) entryId: string;
  @ManyToOne(() => JournalEntryEntity) @JoinColumn({ name: 'entry_id', foreignKeyConstraintName: 'journal_lines_entry_fk' }) entry?: JournalEntryEntity;
  @Column({ type: 'text' }) accountCode: string;
  @ManyToOne(() => LedgerAccountEntity)
  @JoinColumn({ name: 'account_code', foreignKeyConstraintName: 'journal_lines_account_fk' })
  account?: LedgerAccountEntity;
  @Column({ type: 'char', length: 3 }) currency: string;
  /** signed: positive increases the account's balance */
  @Column(moneyColumn()) amountMinor: number;
}

export const LEDGER_ENTITIES = [LedgerAccountEntity, JournalEntryEntity, JournalLineEntity];
