using System.ComponentModel.DataAnnotations;

namespace Ahod.Payments;

/// <summary>Bound from the <c>Payments</c> configuration section.</summary>
public sealed class PaymentsOptions
{
    public const string SectionName = "Payments";

    /// <summary>Most ledger requests committed in one transaction.</summary>
    [Range(1, 4096)]
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>AES-256 keys for payout destinations: key id → base64 of 32 bytes. Old ids stay to decrypt old rows.</summary>
    public Dictionary<string, string> EncryptionKeys { get; set; } = [];

    /// <summary>The key new destinations are encrypted with.</summary>
    public string? ActiveKeyId { get; set; }

    /// <summary>How long the sandbox provider takes to settle a <c>tok_sandbox_slow</c> deposit.</summary>
    public TimeSpan SandboxSettlementDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often holds past their timeout are expired and slow deposits settled.</summary>
    public TimeSpan BackgroundInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a pending deposit waits for the provider before it expires.</summary>
    public TimeSpan DepositTimeout { get; set; } = TimeSpan.FromHours(24);
}
