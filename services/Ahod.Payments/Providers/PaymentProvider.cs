namespace Ahod.Payments.Providers;

public enum ChargeStatus
{
    Succeeded,

    /// <summary>Accepted; the provider settles it later (webhook in real life, the settlement job here).</summary>
    Pending,

    Declined,
}

public sealed record ChargeResult(ChargeStatus Status, string? ProviderReference, string? DeclineReason = null);

/// <summary>A money-in/money-out provider (card processor, bank rails, mobile money).</summary>
public interface IPaymentProvider
{
    /// <summary>Names the provider's clearing accounts (one per currency).</summary>
    string Name { get; }

    /// <summary>Charges a tokenized source. Card numbers never reach Ahod: only the provider's token does.</summary>
    Task<ChargeResult> ChargeAsync(string sourceType, string token, Money amount, CancellationToken cancellationToken);

    /// <summary>Sends a payout to a destination (plaintext only in memory, for the provider call).</summary>
    Task<ChargeResult> PayoutAsync(string destinationType, string destination, Money amount, CancellationToken cancellationToken);
}

/// <summary>
/// The development provider: behaves like a real one for the documented tokens. <c>tok_sandbox_success</c>
/// settles at once, <c>tok_sandbox_slow</c> is accepted and settles after a delay, <c>tok_sandbox_decline</c>
/// and any unknown token are declined.
/// </summary>
internal sealed class SandboxProvider : IPaymentProvider
{
    public const string SuccessToken = "tok_sandbox_success";
    public const string SlowToken = "tok_sandbox_slow";
    public const string DeclineToken = "tok_sandbox_decline";

    public string Name => "sandbox";

    public Task<ChargeResult> ChargeAsync(string sourceType, string token, Money amount, CancellationToken cancellationToken) =>
        Task.FromResult(token switch
        {
            SuccessToken => new ChargeResult(ChargeStatus.Succeeded, "ch_" + Guid.CreateVersion7().ToString("N")),
            SlowToken => new ChargeResult(ChargeStatus.Pending, "ch_" + Guid.CreateVersion7().ToString("N")),
            DeclineToken => new ChargeResult(ChargeStatus.Declined, null, "The sandbox declined the source."),
            _ => new ChargeResult(ChargeStatus.Declined, null, "Unknown sandbox token."),
        });

    public Task<ChargeResult> PayoutAsync(string destinationType, string destination, Money amount, CancellationToken cancellationToken) =>
        Task.FromResult(new ChargeResult(ChargeStatus.Succeeded, "po_" + Guid.CreateVersion7().ToString("N")));
}
