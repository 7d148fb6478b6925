using Ahod.Messaging;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Ahod.Savings.Data.Migrations;

/// <summary>
/// Written by hand (EF Core Design cannot be restored here): the DDL is EF's own GenerateCreateScript() output for
/// the model, plus the outbox and inbox tables. SavingsSchemaTests proves it builds exactly the model's schema.
/// </summary>
[DbContext(typeof(SavingsDbContext))]
[Migration("20261121000001_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql(Ddl);
        migrationBuilder.Sql(MessagingSchema.CreateTablesSql);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("""
            DROP TABLE IF EXISTS plea_votes, pleas, loan_payments, loans, bids, strikes, pot_disbursements, contributions,
                cycles, invites, members, communities, scheduler_leases, outbox_messages, inbox_messages CASCADE;
            DROP SEQUENCE IF EXISTS member_join_sequence;
            """);
    }

    private const string Ddl = """
        CREATE SEQUENCE member_join_sequence START WITH 1 INCREMENT BY 1 NO CYCLE;

        CREATE TABLE communities (
            id uuid NOT NULL,
            name character varying(100) NOT NULL,
            bio character varying(2000) NOT NULL,
            currency character varying(3) NOT NULL,
            goal_amount bigint NOT NULL,
            contribution_amount bigint NOT NULL,
            frequency character varying(16) NOT NULL,
            payout_method character varying(16) NOT NULL,
            max_members integer NOT NULL,
            is_private boolean NOT NULL,
            invite_code character varying(64) NOT NULL,
            grace_days integer NOT NULL,
            late_fee_amount bigint NOT NULL,
            strikes_until_suspension integer NOT NULL,
            auto_close boolean NOT NULL,
            pot_account_id uuid,
            season integer NOT NULL,
            created_by uuid NOT NULL,
            created_at timestamp with time zone NOT NULL,
            CONSTRAINT pk_communities PRIMARY KEY (id),
            CONSTRAINT ck_communities_amounts CHECK (goal_amount >= 0 AND contribution_amount > 0 AND late_fee_amount >= 0),
            CONSTRAINT ck_communities_currency CHECK (currency ~ '^[A-Z]{3}$')
        );

        CREATE TABLE loans (
            id uuid NOT NULL,
            user_id uuid NOT NULL,
            servicer character varying(200) NOT NULL,
            currency character varying(3) NOT NULL,
            principal_amount bigint NOT NULL,
            balance_amount bigint NOT NULL,
            rate_basis_points integer NOT NULL,
            due_day integer NOT NULL,
            monthly_payment_amount bigint NOT NULL,
            created_at timestamp with time zone NOT NULL,
            updated_at timestamp with time zone NOT NULL,
            CONSTRAINT pk_loans PRIMARY KEY (id),
            CONSTRAINT ck_loans_amounts CHECK (principal_amount > 0 AND balance_amount >= 0 AND monthly_payment_amount >= 0),
            CONSTRAINT ck_loans_due_day CHECK (due_day BETWEEN 1 AND 28),
            CONSTRAINT ck_loans_rate CHECK (rate_basis_points >= 0 AND rate_basis_points <= 10000)
        );

        CREATE TABLE scheduler_leases (
            name character varying(64) NOT NULL,
            holder character varying(128) NOT NULL,
            expires_at timestamp with time zone NOT NULL,
            CONSTRAINT pk_scheduler_leases PRIMARY KEY (name)
        );

        CREATE TABLE cycles (
            community_id uuid NOT NULL,
            number integer NOT NULL,
            season integer NOT NULL,
            opens_at timestamp with time zone NOT NULL,
            due_at timestamp with time zone NOT NULL,
            status character varying(16) NOT NULL,
            recipient_user_id uuid,
            draw_seed bigint,
            winning_discount bigint,
            payout_amount bigint,
            payout_transfer_id uuid,
            payout_loan_id uuid,
            closed_by uuid,
            closed_at timestamp with time zone,
            due_notified_at timestamp with time zone,
            missed_checked_at timestamp with time zone,
            CONSTRAINT pk_cycles PRIMARY KEY (community_id, number),
            CONSTRAINT ck_cycles_payout_amount CHECK (payout_amount IS NULL OR payout_amount >= 0),
            CONSTRAINT ck_cycles_status CHECK (status IN ('open', 'closing', 'closed')),
            CONSTRAINT fk_cycles_community_id FOREIGN KEY (community_id) REFERENCES communities (id) ON DELETE CASCADE
        );

        CREATE TABLE invites (
            id uuid NOT NULL,
            community_id uuid NOT NULL,
            email character varying(254) NOT NULL,
            invited_by uuid NOT NULL,
            created_at timestamp with time zone NOT NULL,
            CONSTRAINT pk_invites PRIMARY KEY (id),
            CONSTRAINT fk_invites_community_id FOREIGN KEY (community_id) REFERENCES communities (id) ON DELETE CASCADE
        );

        CREATE TABLE members (
            community_id uuid NOT NULL,
            user_id uuid NOT NULL,
            role character varying(16) NOT NULL,
            status character varying(16) NOT NULL,
            join_sequence bigint NOT NULL DEFAULT (nextval('member_join_sequence')),
            rotation_position integer,
            strikes integer NOT NULL,
            payout_loan_id uuid,
            requested_at timestamp with time zone NOT NULL,
            joined_at timestamp with time zone,
            left_at timestamp with time zone,
            CONSTRAINT pk_members PRIMARY KEY (community_id, user_id),
            CONSTRAINT fk_members_community_id FOREIGN KEY (community_id) REFERENCES communities (id) ON DELETE CASCADE
        );

        CREATE TABLE pleas (
            id uuid NOT NULL,
            community_id uuid NOT NULL,
            user_id uuid NOT NULL,
            title character varying(200) NOT NULL,
            body character varying(4000) NOT NULL,
            status character varying(16) NOT NULL,
            created_at timestamp with time zone NOT NULL,
            decided_at timestamp with time zone,
            CONSTRAINT pk_pleas PRIMARY KEY (id),
            CONSTRAINT fk_pleas_community_id FOREIGN KEY (community_id) REFERENCES communities (id) ON DELETE CASCADE
        );

        CREATE TABLE loan_payments (
            id uuid NOT NULL,
            loan_id uuid NOT NULL,
            amount bigint NOT NULL,
            source character varying(16) NOT NULL,
            community_id uuid,
            cycle_number integer,
            transfer_id uuid,
            created_at timestamp with time zone NOT NULL,
            CONSTRAINT pk_loan_payments PRIMARY KEY (id),
            CONSTRAINT ck_loan_payments_amount CHECK (amount > 0),
            CONSTRAINT fk_loan_payments_loan_id FOREIGN KEY (loan_id) REFERENCES loans (id) ON DELETE CASCADE
        );

        CREATE TABLE bids (
            community_id uuid NOT NULL,
            cycle_number integer NOT NULL,
            user_id uuid NOT NULL,
            discount bigint NOT NULL,
            created_at timestamp with time zone NOT NULL,
            CONSTRAINT pk_bids PRIMARY KEY (community_id, cycle_number, user_id),
            CONSTRAINT ck_bids_discount CHECK (discount >= 0),
            CONSTRAINT fk_bids_community_id_cycle_number FOREIGN KEY (community_id, cycle_number) REFERENCES cycles (community_id, number) ON DELETE CASCADE
        );

        CREATE TABLE contributions (
            id uuid NOT NULL,
            community_id uuid NOT NULL,
            cycle_number integer NOT NULL,
            member_user_id uuid NOT NULL,
            paid_by_user_id uuid NOT NULL,
            amount bigint NOT NULL,
            late_fee bigint NOT NULL,
            late boolean NOT NULL,
            transfer_id uuid NOT NULL,
            idempotency_key character varying(255),
            created_at timestamp with time zone NOT NULL,
            CONSTRAINT pk_contributions PRIMARY KEY (id),
            CONSTRAINT ck_contributions_amounts CHECK (amount > 0 AND late_fee >= 0),
            CONSTRAINT fk_contributions_community_id_cycle_number FOREIGN KEY (community_id, cycle_number) REFERENCES cycles (community_id, number) ON DELETE CASCADE
        );

        CREATE TABLE pot_disbursements (
            transfer_id uuid NOT NULL,
            community_id uuid NOT NULL,
            cycle_number integer NOT NULL,
            user_id uuid NOT NULL,
            kind character varying(16) NOT NULL,
            amount bigint NOT NULL,
            status character varying(16) NOT NULL,
            created_at timestamp with time zone NOT NULL,
            CONSTRAINT pk_pot_disbursements PRIMARY KEY (transfer_id),
            CONSTRAINT ck_pot_disbursements_amount CHECK (amount > 0),
            CONSTRAINT ck_pot_disbursements_kind CHECK (kind IN ('payout', 'dividend')),
            CONSTRAINT fk_pot_disbursements_community_id_cycle_number FOREIGN KEY (community_id, cycle_number) REFERENCES cycles (community_id, number) ON DELETE CASCADE
        );

        CREATE TABLE strikes (
            community_id uuid NOT NULL,
            cycle_number integer NOT NULL,
            user_id uuid NOT NULL,
            reason character varying(16) NOT NULL,
            created_at timestamp with time zone NOT NULL,
            CONSTRAINT pk_strikes PRIMARY KEY (community_id, cycle_number, user_id),
            CONSTRAINT fk_strikes_community_id_cycle_number FOREIGN KEY (community_id, cycle_number) REFERENCES cycles (community_id, number) ON DELETE CASCADE
        );

        CREATE TABLE plea_votes (
            plea_id uuid NOT NULL,
            user_id uuid NOT NULL,
            in_favor boolean NOT NULL,
            created_at timestamp with time zone NOT NULL,
            CONSTRAINT pk_plea_votes PRIMARY KEY (plea_id, user_id),
            CONSTRAINT fk_plea_votes_plea_id FOREIGN KEY (plea_id) REFERENCES pleas (id) ON DELETE CASCADE
        );

        CREATE INDEX ix_bids_user_id ON bids (user_id);

        CREATE INDEX ix_communities_is_private_created_at ON communities (is_private, created_at);

        CREATE UNIQUE INDEX ux_communities_invite_code ON communities (invite_code);

        CREATE INDEX ix_contributions_member_user_id ON contributions (member_user_id);

        CREATE INDEX ix_contributions_paid_by_user_id ON contributions (paid_by_user_id);

        CREATE UNIQUE INDEX ux_contributions_member_cycle ON contributions (community_id, cycle_number, member_user_id);

        CREATE INDEX ix_cycles_due_at ON cycles (due_at) WHERE status <> 'closed';

        CREATE INDEX ix_invites_community_id ON invites (community_id);

        CREATE INDEX ix_invites_invited_by ON invites (invited_by);

        CREATE INDEX ix_loan_payments_loan_id ON loan_payments (loan_id);

        CREATE UNIQUE INDEX ux_loan_payments_transfer_id ON loan_payments (transfer_id) WHERE transfer_id IS NOT NULL;

        CREATE INDEX ix_loans_user_id ON loans (user_id);

        CREATE INDEX ix_members_user_id ON members (user_id);

        CREATE INDEX ix_plea_votes_user_id ON plea_votes (user_id);

        CREATE INDEX ix_pleas_community_id_created_at ON pleas (community_id, created_at);

        CREATE INDEX ix_pleas_user_id ON pleas (user_id);

        CREATE INDEX ix_pot_disbursements_community_id_cycle_number ON pot_disbursements (community_id, cycle_number);

        CREATE INDEX ix_pot_disbursements_user_id ON pot_disbursements (user_id);

        CREATE INDEX ix_strikes_user_id ON strikes (user_id);
        """;
}
