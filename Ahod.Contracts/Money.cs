using System.Collections.Frozen;
using System.ComponentModel.DataAnnotations;

namespace Ahod.Contracts;

/// <summary>Money on the wire: an integer amount of minor units and an ISO 4217 code. Never a float.</summary>
public sealed record Money(
    [Range(0, Currencies.MaxAmount)] long Amount,
    [Required, RegularExpression("^[A-Z]{3}$", ErrorMessage = "Must be an ISO 4217 code in upper case, e.g. USD.")] string Currency);

public static class Currencies
{
    /// <summary>The largest amount accepted in one request: far beyond any real payment, far below long overflow when summed.</summary>
    public const long MaxAmount = 100_000_000_000_000;

    public const string Default = "USD";

    /// <summary>The ISO 4217 codes Ahod handles (a subset: the currencies of our markets plus the majors).</summary>
    public static readonly FrozenSet<string> Known = new[]
    {
        "USD", "EUR", "GBP", "CAD", "AUD", "CHF", "JPY", "CNY", "INR", "SEK", "NOK", "DKK", "BRL", "MXN",
        "NGN", "GHS", "KES", "UGX", "TZS", "RWF", "ETB", "ZAR", "XOF", "XAF", "MAD", "EGP",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static bool IsKnown(string? code) => code is { Length: 3 } && Known.Contains(code);
}

/// <summary>Field errors for a ValidationProblem, for the rules attributes cannot express; collected next to each handler.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public IDictionary<string, string[]> Errors => _errors;

    public void Add(string field, string message) =>
        _errors[field] = _errors.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

    public void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            Add(field, message);
        }
    }

    public void Money(Money? money, string field, bool allowZero = false)
    {
        if (money is null)
        {
            Add(field, "Required: { \"amount\": <integer minor units>, \"currency\": \"USD\" }.");
            return;
        }

        if (money.Amount < 0 || (!allowZero && money.Amount == 0))
        {
            Add(field + ".amount", allowZero ? "Must not be negative." : "Must be a positive integer number of minor units.");
        }
        else if (money.Amount > Currencies.MaxAmount)
        {
            Add(field + ".amount", $"Must not exceed {Currencies.MaxAmount}.");
        }

        if (!Currencies.IsKnown(money.Currency))
        {
            Add(field + ".currency", "Must be a supported ISO 4217 code in upper case, e.g. USD.");
        }
    }

    public void Id(Guid id, string field) => Require(id != Guid.Empty, field, "Required: a UUID.");
}
