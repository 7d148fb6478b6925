using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ahod.Contracts.Payments;
using Microsoft.AspNetCore.Mvc;

namespace Ahod.Savings.Ledger;

/// <summary>What Payments said about a transfer: done (first time or replayed), or refused by a ledger rule.</summary>
public sealed record TransferOutcome(TransferView? Transfer, string? RefusalTitle, string? RefusalDetail)
{
    public bool Succeeded => Transfer is not null;
}

/// <summary>Thrown when Payments cannot answer (down, 5xx, unexpected status): the caller's operation stays retryable.</summary>
public sealed class PaymentsUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Payments' internal (service-to-service) API, spoken in Ahod.Contracts' records (<see cref="PaymentsInternalApi"/>). Every
/// transfer carries an id derived from what it pays for, so a retry after a crash or a timeout replays the original instead
/// of moving the money twice.
/// </summary>
public sealed class PaymentsClient(HttpClient http)
{
    public const string HttpClientName = "payments";

    public async Task<AccountView> EnsurePotAsync(Guid communityId, string currency, CancellationToken cancellationToken)
    {
        const string what = "open the community pot";
        using var response = await SendAsync(
            () => http.PostAsJsonAsync(PaymentsInternalApi.Pots, new OpenAccountRequest("community", communityId, currency), cancellationToken), what);
        await EnsureSuccessAsync(response, what, cancellationToken);
        return await ReadAsync<AccountView>(response, what, cancellationToken);
    }

    /// <summary>The user's wallet in <paramref name="currency"/>, or null when they have none.</summary>
    public async Task<WalletView?> FindWalletAsync(Guid userId, string currency, CancellationToken cancellationToken)
    {
        const string what = "read the wallets";
        using var response = await SendAsync(() => http.GetAsync(PaymentsInternalApi.WalletsOf(userId), cancellationToken), what);
        await EnsureSuccessAsync(response, what, cancellationToken);
        var wallets = await ReadAsync<List<WalletView>>(response, what, cancellationToken);
        return wallets.FirstOrDefault(w => string.Equals(w.Currency, currency, StringComparison.Ordinal));
    }

    public async Task<TransferOutcome> TransferAsync(
        Guid transferId, Guid debitAccountId, Guid creditAccountId, long amount, string currency, string code,
        object? metadata, CancellationToken cancellationToken)
    {
        const string what = "move the money";
        var body = new TransferRequest(transferId, debitAccountId, creditAccountId, new Money(amount, currency), code,
            metadata is null ? null : JsonSerializer.SerializeToElement(metadata, JsonSerializerOptions.Web));
        using var response = await SendAsync(() => http.PostAsJsonAsync(PaymentsInternalApi.Transfers, body, cancellationToken), what);
        // 422: a ledger rule (insufficient funds, currency mismatch). 409: this transfer id already paid for a
        // different amount (e.g. the late fee applied after an on-time attempt); neither is retried blindly.
        if (response.StatusCode is HttpStatusCode.UnprocessableEntity or HttpStatusCode.Conflict)
        {
            var problem = await TryReadProblemAsync(response, cancellationToken);
            return new TransferOutcome(null, problem?.Title ?? "The ledger refused the transfer.", problem?.Detail);
        }

        await EnsureSuccessAsync(response, what, cancellationToken);
        return new TransferOutcome(await ReadAsync<TransferView>(response, what, cancellationToken), null, null);
    }

    /// <summary>The same purpose always yields the same id (see <see cref="NameBasedId"/>).</summary>
    public static Guid DeterministicId(string purpose) => NameBasedId.Create("ahod.savings", purpose);

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

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(cancellationToken)
                ?? throw new PaymentsUnavailableException($"Payments answered an empty body when asked to {what}.");
        }
        catch (JsonException e)
        {
            throw new PaymentsUnavailableException($"Payments answered a body that is not its contract when asked to {what}.", e);
        }
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
