using Ahod.Messaging;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Ahod.Identity.Data.Migrations;

/// <summary>
/// Hand-written (EF Core Design is not available here): the DDL is what <c>GenerateCreateScript()</c> emits
/// for <see cref="IdentityDbContext"/>, including the outbox and inbox as <c>AddOutboxAndInbox()</c> maps them;
/// a test holds the migrations to exactly the model's schema.
/// </summary>
[DbContext(typeof(IdentityDbContext))]
[Migration("20261121000001_Initial")]
public sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql(
            """
            CREATE TABLE erased_users (
                id uuid NOT NULL,
                erased_at timestamp with time zone NOT NULL,
                CONSTRAINT "PK_erased_users" PRIMARY KEY (id)
            );

            CREATE TABLE users (
                id uuid NOT NULL,
                email character varying(254) NOT NULL,
                normalized_email character varying(254) GENERATED ALWAYS AS (lower(email)) STORED NOT NULL,
                user_name character varying(32) NOT NULL,
                first_name character varying(100) NOT NULL,
                last_name character varying(100) NOT NULL,
                first_name_lower character varying(100) GENERATED ALWAYS AS (lower(first_name)) STORED NOT NULL,
                last_name_lower character varying(100) GENERATED ALWAYS AS (lower(last_name)) STORED NOT NULL,
                photo_url character varying(2048),
                password_hash text NOT NULL,
                roles text[] NOT NULL,
                email_verified boolean NOT NULL,
                email_verification_token_hash bytea,
                email_verification_expires_at timestamp with time zone,
                created_at timestamp with time zone NOT NULL,
                updated_at timestamp with time zone NOT NULL,
                CONSTRAINT "PK_users" PRIMARY KEY (id)
            );

            CREATE TABLE refresh_token_families (
                id uuid NOT NULL,
                user_id uuid NOT NULL,
                created_at timestamp with time zone NOT NULL,
                revoked_at timestamp with time zone,
                revoked_reason character varying(32),
                CONSTRAINT "PK_refresh_token_families" PRIMARY KEY (id),
                CONSTRAINT "FK_refresh_token_families_users_user_id" FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
            );

            CREATE TABLE refresh_tokens (
                id uuid NOT NULL,
                family_id uuid NOT NULL,
                token_hash bytea NOT NULL,
                created_at timestamp with time zone NOT NULL,
                expires_at timestamp with time zone NOT NULL,
                used_at timestamp with time zone,
                CONSTRAINT "PK_refresh_tokens" PRIMARY KEY (id),
                CONSTRAINT "FK_refresh_tokens_refresh_token_families_family_id" FOREIGN KEY (family_id) REFERENCES refresh_token_families (id) ON DELETE CASCADE
            );

            CREATE INDEX ix_refresh_token_families_user_id ON refresh_token_families (user_id);

            CREATE INDEX ix_refresh_tokens_family_id ON refresh_tokens (family_id);

            CREATE UNIQUE INDEX ix_refresh_tokens_token_hash ON refresh_tokens (token_hash);

            CREATE INDEX ix_users_first_name_prefix ON users (first_name_lower text_pattern_ops);

            CREATE INDEX ix_users_last_name_prefix ON users (last_name_lower text_pattern_ops);

            CREATE UNIQUE INDEX ix_users_normalized_email ON users (normalized_email);

            CREATE UNIQUE INDEX ix_users_user_name ON users (user_name);

            CREATE INDEX ix_users_user_name_prefix ON users (user_name text_pattern_ops);
            """);

        // The outbox and inbox exactly as AddOutboxAndInbox() maps them.
        migrationBuilder.Sql(MessagingSchema.CreateTablesSql);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql(
            """
            DROP TABLE refresh_tokens;
            DROP TABLE refresh_token_families;
            DROP TABLE users;
            DROP TABLE erased_users;
            DROP TABLE inbox_messages;
            DROP TABLE outbox_messages;
            """);
    }
}
