using System.Net;
using System.Text.Json;
using Ahod.Contracts.Payments;

namespace Ahod.Marketplace.Clients;

/// <summary>What Payments answered about a hold: its status, or the ledger rule that refused it (code and sentence).</summary>
public sealed record HoldOutcome(string? Status, int HttpStatus, string? Code, string? Title, string? Detail)
{
    public bool Succeeded => Status is not null;
}

/// <summary>
/// Payments' internal holds API (two-phase escrow), spoken in Ahod.Contracts' records and paths
/// (<see cref="PaymentsInternalApi"/>). Hold and posting ids are derived from what they pay for, so a
/// retry after a timeout or a crash replays the first attempt instead of reserving or moving the money twice.
/// </summary>
public sealed class PaymentsClient(HttpClient http)
{
    public async Task<Guid?> FindWalletAsync(Guid userId, string currency, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(() => http.GetAsync(PaymentsInternalApi.WalletsOf(userId), cancellationToken), "read the wallets");
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new ServiceUnavailableException("Payments", $"Payments answered {(int)response.StatusCode} when asked for the wallets.");
        }

        var wallets = await response.Content.ReadFromJsonAsync<List<WalletView>>(cancellationToken) ?? [];
        return wallets.Where(w => w.Currency == currency).Select(w => (Guid?)w.Id).FirstOrDefault();
    }

    public Task<HoldOutcome> PlaceHoldAsync(
        Guid holdId, Guid debitAccountId, Guid creditAccountId, long amount, string currency, TimeSpan timeout, Guid requestId,
        CancellationToken cancellationToken) =>
        CallAsync(() => http.PostAsJsonAsync(PaymentsInternalApi.Holds, new HoldRequest(
            holdId, debitAccountId, creditAccountId, new Money(amount, currency), "escrow", (int)timeout.TotalSeconds, requestId.ToString(),
            JsonSerializer.SerializeToElement(new { requestId }, JsonSerializerOptions.Web)), cancellationToken), "place the escrow hold", cancellationToken);

    public Task<HoldOutcome> PostHoldAsync(Guid holdId, Guid postingId, CancellationToken cancellationToken) =>
        CallAsync(() => http.PostAsJsonAsync(PaymentsInternalApi.PostHold(holdId), new PostHoldRequest(postingId, null), cancellationToken),
            "release the escrow to the payee", cancellationToken);

    public Task<HoldOutcome> VoidHoldAsync(Guid holdId, CancellationToken cancellationToken) =>
        CallAsync(() => http.PostAsync(PaymentsInternalApi.VoidHold(holdId), null, cancellationToken), "return the escrow", cancellationToken);

    /// <summary>The same purpose always yields the same id (see <see cref="NameBasedId"/>).</summary>
    public static Guid DeterministicId(string purpose) => NameBasedId.Create("ahod.marketplace", purpose);

    private static async Task<HoldOutcome> CallAsync(Func<Task<HttpResponseMessage>> send, string what, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(send, what);
        var status = (int)response.StatusCode;
        if (status is not (200 or 201 or 404 or 409 or 422))
        {
            throw new ServiceUnavailableException("Payments", $"Payments answered {status} when asked to {what}.");
        }

        if (response.IsSuccessStatusCode)
        {
            var transfer = await response.Content.ReadFromJsonAsync<TransferView>(cancellationToken);
            return new HoldOutcome(transfer?.Status ?? "pending", status, null, null, null);
        }

        // A refusal is ProblemDetails whose "code" extension names the ledger rule (LedgerReasons).
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        var root = json.RootElement;
        string? Text(string name) => root.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        return new HoldOutcome(null, status, Text("code"), Text("title"), Text("detail"));
    }

    private static async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send, string what)
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException e)
        {
            throw new ServiceUnavailableException("Payments", $"Payments could not be reached to {what}.", e);
        }
        catch (TaskCanceledException e) when (!e.CancellationToken.IsCancellationRequested)
        {
            throw new ServiceUnavailableException("Payments", $"Payments timed out while asked to {what}.", e);
        }
    }
}
