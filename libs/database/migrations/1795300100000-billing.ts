import { MigrationInterface, QueryRunner } from 'typeorm';

export class Billing1795300100000 implements MigrationInterface {
  name = 'Billing1795300100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "stripe_events" ("id" text NOT NULL, "type" text NOT NULL, "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d3247bd5fc3f66b6982bbcdd897" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "top_up_payments" ("top_up_id" uuid NOT NULL, "account_id" uuid NOT NULL, "payment_intent_id" text NOT NULL, "charge_id" text, "amount_minor" bigint NOT NULL, "currency" character(3) NOT NULL, "refunded_minor" bigint NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "top_up_payments_refunded" CHECK (refunded_minor >= 0 AND refunded_minor <= amount_minor), CONSTRAINT "PK_18abbcca39291264c8bc1a8e06e" PRIMARY KEY ("top_up_id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "top_up_payments_payment_intent" ON "top_up_payments"  ("payment_intent_id") `);
    await queryRunner.query(`CREATE INDEX "top_up_payments_account" ON "top_up_payments"  ("account_id", "currency", "created_at") `);
    await queryRunner.query(`CREATE TABLE "refunds" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "account_id" uuid NOT NULL, "top_up_id" uuid NOT NULL, "payment_intent_id" text NOT NULL, "amount_minor" bigint NOT NULL, "currency" character(3) NOT NULL, "status" text NOT NULL, "provider_ref" text, "failure_reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "refunds_positive" CHECK (amount_minor > 0), CONSTRAINT "PK_5106efb01eeda7e49a78b869738" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "refunds_account" ON "refunds"  ("account_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "payout_accounts" ("owner_id" uuid NOT NULL, "provider_ref" text NOT NULL, "status" text NOT NULL, "details_submitted" boolean NOT NULL DEFAULT false, "payouts_enabled" boolean NOT NULL DEFAULT false, "transfers_active" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ca4ad3be06434e296d973e17848" PRIMARY KEY ("owner_id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "payout_accounts_provider_ref" ON "payout_accounts"  ("provider_ref") `);
    await queryRunner.query(`CREATE TABLE "payouts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "owner_id" uuid NOT NULL, "destination" text NOT NULL, "amount_minor" bigint NOT NULL, "currency" character(3) NOT NULL, "status" text NOT NULL, "transfer_id" text, "reversed_minor" bigint NOT NULL DEFAULT '0', "failure_reason" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "payouts_reversed" CHECK (reversed_minor >= 0 AND reversed_minor <= amount_minor), CONSTRAINT "payouts_positive" CHECK (amount_minor > 0), CONSTRAINT "PK_76855dc4f0a6c18c72eea302e87" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "payouts_transfer" ON "payouts"  ("transfer_id") WHERE transfer_id IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "payouts_owner" ON "payouts"  ("owner_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "stripe_ledger_links" ("source_id" text NOT NULL, "kind" text NOT NULL, "journal_reference" text NOT NULL, "amount_minor" bigint NOT NULL, "currency" character(3) NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_2c8c6eeaa88616b9152a878a3d8" PRIMARY KEY ("source_id"))`);
    await queryRunner.query(`CREATE INDEX "stripe_ledger_links_occurred" ON "stripe_ledger_links"  ("occurred_at") `);
    await queryRunner.query(`CREATE TABLE "reconciliation_reports" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "period_from" TIMESTAMP WITH TIME ZONE NOT NULL, "period_to" TIMESTAMP WITH TIME ZONE NOT NULL, "status" text NOT NULL, "trigger" text NOT NULL, "ledger_count" integer NOT NULL DEFAULT '0', "stripe_count" integer NOT NULL DEFAULT '0', "differences" jsonb NOT NULL DEFAULT '[]', "error" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_12ad01f5998711edaac25681bf4" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "reconciliation_reports_created" ON "reconciliation_reports"  ("created_at") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."reconciliation_reports_created"`);
    await queryRunner.query(`DROP TABLE "reconciliation_reports"`);
    await queryRunner.query(`DROP INDEX "public"."stripe_ledger_links_occurred"`);
    await queryRunner.query(`DROP TABLE "stripe_ledger_links"`);
    await queryRunner.query(`DROP INDEX "public"."payouts_owner"`);
    await queryRunner.query(`DROP INDEX "public"."payouts_transfer"`);
    await queryRunner.query(`DROP TABLE "payouts"`);
    await queryRunner.query(`DROP INDEX "public"."payout_accounts_provider_ref"`);
    await queryRunner.query(`DROP TABLE "payout_accounts"`);
    await queryRunner.query(`DROP INDEX "public"."refunds_account"`);
    await queryRunner.query(`DROP TABLE "refunds"`);
    await queryRunner.query(`DROP INDEX "public"."top_up_payments_account"`);
    await queryRunner.query(`DROP INDEX "public"."top_up_payments_payment_intent"`);
    await queryRunner.query(`DROP TABLE "top_up_payments"`);
    await queryRunner.query(`DROP TABLE "stripe_events"`);
  }
}
