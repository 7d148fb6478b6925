using System.Net;

namespace Ahod.Chat.Notifications;

/// <summary>Payments' internal API, for whose wallet an account is (ledger events name accounts, notifications go to people).</summary>
public sealed class PaymentsClient(HttpClient http)
{
    public sealed record AccountOwner(Guid Id, string Kind, string? OwnerType, Guid? OwnerId);

    /// <summary>The user owning the wallet <paramref name="accountId"/>, or null for pots, escrow and provider accounts.</summary>
    public async Task<Guid?> WalletOwnerAsync(Guid accountId, CancellationToken ct)
    {
        using var response = await http.GetAsync($"/internal/accounts/{accountId}", ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        // Anything else unexpected throws: the event is retried, not dropped.
        response.EnsureSuccessStatusCode();
        var account = await response.Content.ReadFromJsonAsync<AccountOwner>(ct);
        return account is { OwnerType: "user", OwnerId: { } owner } ? owner : null;
    }
}
