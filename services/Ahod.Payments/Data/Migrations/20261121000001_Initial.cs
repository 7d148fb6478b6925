using Ahod.Messaging;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Ahod.Payments.Data.Migrations;

/// <summary>
/// The initial schema. Written by hand because EF Core Design cannot be restored here: the DDL is what
/// <c>Database.GenerateCreateScript()</c> produces for <see cref="PaymentsDbContext"/> (outbox and inbox included),
/// plus a trigger that makes ledger entries immutable. A test checks it against the model.
/// </summary>
[DbContext(typeof(PaymentsDbContext))]
[Migration("20261121000001_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql(""""
            CREATE TABLE accounts (
                id uuid NOT NULL,
                kind character varying(16) NOT NULL,
                owner_type character varying(32),
                owner_id uuid,
                provider character varying(32),
                currency character varying(3) NOT NULL,
                flags integer NOT NULL,
                status character varying(16) NOT NULL,
                debits_posted bigint NOT NULL,
                credits_posted bigint NOT NULL,
                debits_pending bigint NOT NULL,
                credits_pending bigint NOT NULL,
                created_at timestamp with time zone NOT NULL,
                CONSTRAINT pk_accounts PRIMARY KEY (id),
                CONSTRAINT ck_accounts_counters_non_negative CHECK (debits_posted >= 0 AND credits_posted >= 0 AND debits_pending >= 0 AND credits_pending >= 0),
                CONSTRAINT ck_accounts_currency CHECK (currency ~ '^[A-Z]{3}$'),
                CONSTRAINT ck_accounts_no_overdraft CHECK ((flags & 1) = 0 OR debits_posted + debits_pending <= credits_posted)
            );

            CREATE TABLE idempotency_keys (
                user_id uuid NOT NULL,
                key character varying(255) NOT NULL,
                request_hash character varying(64) NOT NULL,
                status character varying(16) NOT NULL,
                lock_token uuid,
                locked_until timestamp with time zone,
                response_status integer,
                response_content_type character varying(64),
                response_body text,
                created_at timestamp with time zone NOT NULL,
                expires_at timestamp with time zone NOT NULL,
                CONSTRAINT pk_idempotency_keys PRIMARY KEY (user_id, key),
                CONSTRAINT ck_idempotency_keys_status CHECK (status IN ('in_flight', 'completed'))
            );

            CREATE TABLE transfers (
                id uuid NOT NULL,
                debit_account_id uuid NOT NULL,
                credit_account_id uuid NOT NULL,
                amount bigint NOT NULL,
                currency character varying(3) NOT NULL,
                code character varying(32) NOT NULL,
                status character varying(16) NOT NULL,
                pending_id uuid,
                timeout_at timestamp with time zone,
                metadata jsonb,
                initiated_by uuid,
                created_at timestamp with time zone NOT NULL,
                CONSTRAINT pk_transfers PRIMARY KEY (id),
                CONSTRAINT ck_transfers_amount_positive CHECK (amount > 0),
                CONSTRAINT ck_transfers_distinct_accounts CHECK (debit_account_id <> credit_account_id),
                CONSTRAINT ck_transfers_status CHECK (status IN ('pending', 'posted', 'voided', 'expired', 'declined')),
                CONSTRAINT fk_transfers_credit_account_id FOREIGN KEY (credit_account_id) REFERENCES accounts (id) ON DELETE RESTRICT,
                CONSTRAINT fk_transfers_debit_account_id FOREIGN KEY (debit_account_id) REFERENCES accounts (id) ON DELETE RESTRICT
            );

            CREATE TABLE entries (
                id bigint GENERATED ALWAYS AS IDENTITY,
                account_id uuid NOT NULL,
                transfer_id uuid NOT NULL,
                side character varying(1) NOT NULL,
                pending boolean NOT NULL,
                amount bigint NOT NULL,
                balance_after bigint NOT NULL,
                created_at timestamp with time zone NOT NULL,
                CONSTRAINT pk_entries PRIMARY KEY (id),
                CONSTRAINT ck_entries_side CHECK (side IN ('D', 'C')),
                CONSTRAINT fk_entries_account_id FOREIGN KEY (account_id) REFERENCES accounts (id) ON DELETE RESTRICT,
                CONSTRAINT fk_entries_transfer_id FOREIGN KEY (transfer_id) REFERENCES transfers (id) ON DELETE RESTRICT
            );

            CREATE TABLE withdrawal_destinations (
                transfer_id uuid NOT NULL,
                user_id uuid NOT NULL,
                type character varying(16) NOT NULL,
                key_id character varying(64) NOT NULL,
                ciphertext bytea NOT NULL,
                last4 character varying(4) NOT NULL,
                created_at timestamp with time zone NOT NULL,
                CONSTRAINT pk_withdrawal_destinations PRIMARY KEY (transfer_id),
                CONSTRAINT fk_withdrawal_destinations_transfer_id FOREIGN KEY (transfer_id) REFERENCES transfers (id) ON DELETE RESTRICT
            );

            CREATE UNIQUE INDEX ux_accounts_owner ON accounts (owner_type, owner_id, kind, currency) WHERE owner_id IS NOT NULL;

            CREATE UNIQUE INDEX ux_accounts_system ON accounts (provider, kind, currency) WHERE provider IS NOT NULL;

            CREATE INDEX ix_entries_account_id_id ON entries (account_id, id DESC);

            CREATE INDEX ix_entries_transfer_id ON entries (transfer_id);

            CREATE INDEX ix_idempotency_keys_expires_at ON idempotency_keys (expires_at);

            CREATE INDEX ix_transfers_credit_account_id ON transfers (credit_account_id);

            CREATE INDEX ix_transfers_debit_account_id ON transfers (debit_account_id);

            CREATE INDEX ix_transfers_pending_timeout ON transfers (timeout_at) WHERE status = 'pending';

            CREATE UNIQUE INDEX ux_transfers_pending_id ON transfers (pending_id) WHERE pending_id IS NOT NULL;

            CREATE INDEX ix_withdrawal_destinations_user_id ON withdrawal_destinations (user_id);

            CREATE FUNCTION entries_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'ledger entries are immutable; corrections are new transfers';
            END $$;

            CREATE TRIGGER entries_immutable BEFORE UPDATE OR DELETE ON entries
                FOR EACH ROW EXECUTE FUNCTION entries_are_immutable();
            """");

        // The outbox and inbox exactly as AddOutboxAndInbox() maps them.
        migrationBuilder.Sql(MessagingSchema.CreateTablesSql);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            DROP TABLE IF EXISTS withdrawal_destinations, entries, transfers, idempotency_keys, accounts, outbox_messages, inbox_messages;
            DROP FUNCTION IF EXISTS entries_are_immutable();
            """);
    }
}
