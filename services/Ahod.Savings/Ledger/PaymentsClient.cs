using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;

namespace Ahod.Savings.Ledger;

public sealed record LedgerAccount(Guid Id, string Currency);

public sealed record LedgerTransfer(Guid Id, string Status);

/// <summary>What Payments said about a transfer: done (first time or replayed), or refused by a ledger rule.</summary>
public sealed record TransferOutcome(LedgerTransfer? Transfer, string? RefusalTitle, string? RefusalDetail)
{
    public bool Succeeded => Transfer is not null;
}

/// <summary>Thrown when Payments cannot answer (down, 5xx, unexpected status): the caller's operation stays retryable.</summary>
public sealed class PaymentsUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Payments' internal (service-to-service) API. Every transfer carries an id derived from what it pays for,
/// so a retry after a crash or a timeout replays the original instead of moving the money twice.
/// </summary>
public sealed class PaymentsClient(HttpClient http)
{
    public const string HttpClientName = "payments";

    public async Task<LedgerAccount> EnsurePotAsync(Guid communityId, string currency, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(
            () => http.PostAsJsonAsync("/internal/accounts/pots", new { ownerType = "community", ownerId = communityId, currency }, cancellationToken),
            "open the community pot");
        await EnsureSuccessAsync(response, "open the community pot", cancellationToken);
        return await ReadAccountAsync(response, cancellationToken);
    }

    /// <summary>The user's wallet in <paramref name="currency"/>, or null when they have none.</summary>
    public async Task<LedgerAccount?> FindWalletAsync(Guid userId, string currency, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => http.GetAsync($"/internal/users/{userId}/wallets", cancellationToken), "read the wallets");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, "read the wallets", cancellationToken);
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        var items = json.RootElement.ValueKind == JsonValueKind.Array
            ? json.RootElement
            : json.RootElement.TryGetProperty("items", out var i) ? i : json.RootElement.GetProperty("wallets");
        foreach (var wallet in items.EnumerateArray())
        {
            if (string.Equals(wallet.GetProperty("currency").GetString(), currency, StringComparison.Ordinal))
            {
                return new LedgerAccount(wallet.GetProperty("id").GetGuid(), currency);
            }
        }

        return null;
    }

    /// <summary>The account's posted balance (credits − debits) in minor units.</summary>
    public async Task<long> GetBalanceAsync(Guid accountId, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => http.GetAsync($"/internal/accounts/{accountId}", cancellationToken), "read the pot balance");
        await EnsureSuccessAsync(response, "read the pot balance", cancellationToken);
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        var root = json.RootElement;
        foreach (var name in new[] { "posted", "balance", "available" })
        {
            if (root.TryGetProperty(name, out var value))
            {
                return value.ValueKind == JsonValueKind.Object ? value.GetProperty("amount").GetInt64() : value.GetInt64();
            }
        }

        throw new PaymentsUnavailableException("Payments returned an account without a balance.");
    }

    public async Task<TransferOutcome> TransferAsync(
        Guid transferId, Guid debitAccountId, Guid creditAccountId, long amount, string currency, string code,
        object? metadata, CancellationToken cancellationToken)
    {
        var body = new
        {
            id = transferId,
            debitAccountId,
            creditAccountId,
            amount = new { amount, currency },
            code,
            metadata,
        };
        using var response = await SendAsync(() => http.PostAsJsonAsync("/internal/transfers", body, cancellationToken), "move the money");
        // 422: a ledger rule (insufficient funds, currency mismatch). 409: this transfer id already paid for a
        // different amount (e.g. the late fee applied after an on-time attempt); neither is retried blindly.
        if (response.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.Conflict)
        {
            var problem = await TryReadProblemAsync(response, cancellationToken);
            return new TransferOutcome(null, problem?.Title ?? "The ledger refused the transfer.", problem?.Detail);
        }

        await EnsureSuccessAsync(response, "move the money", cancellationToken);
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        var status = json.RootElement.TryGetProperty("status", out var s) ? s.GetString() ?? "posted" : "posted";
        return new TransferOutcome(new LedgerTransfer(json.RootElement.GetProperty("id").GetGuid(), status), null, null);
    }

    /// <summary>A name-based (v5-style, SHA-256) UUID: the same purpose always yields the same transfer id.</summary>
    public static Guid DeterministicId(string purpose)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes("ahod.savings:" + purpose), hash);
        var bytes = hash[..16].ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    private static async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send, string what)
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException e)
        {
            throw new PaymentsUnavailableException($"Payments could not be reached to {what}.", e);
        }
        catch (TaskCanceledException e) when (!e.CancellationToken.IsCancellationRequested)
        {
            throw new PaymentsUnavailableException($"Payments timed out while asked to {what}.", e);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var problem = await TryReadProblemAsync(response, cancellationToken);
            throw new PaymentsUnavailableException(
                $"Payments answered {(int)response.StatusCode} when asked to {what}: {problem?.Title} {problem?.Detail}".TrimEnd());
        }
    }

    private static async Task<LedgerAccount> ReadAccountAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return new LedgerAccount(json.RootElement.GetProperty("id").GetGuid(), json.RootElement.GetProperty("currency").GetString()!);
    }

    private static async Task<ProblemDetails?> TryReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<ProblemDetails>(cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }
}
