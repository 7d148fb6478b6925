using Npgsql;

namespace Ahod.Savings.Tests;

/// <summary>Reads savingsdb directly, for what the API does not show (the outbox).</summary>
internal static class SavingsDatabase
{
    /// <summary>Events of <paramref name="type"/> written to the outbox for <paramref name="communityId"/> (and the user, when given).</summary>
    public static async Task<long> CountOutboxAsync(string connectionString, string type, Guid communityId, Guid? userId = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM outbox_messages WHERE type = $1 AND payload->>'communityId' = $2 AND ($3 = '' OR payload->>'userId' = $3)",
            connection);
        command.Parameters.AddWithValue(type);
        command.Parameters.AddWithValue(communityId.ToString());
        command.Parameters.AddWithValue(userId?.ToString() ?? "");
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
