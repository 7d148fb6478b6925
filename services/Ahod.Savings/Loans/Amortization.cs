namespace Ahod.Savings.Loans;

public sealed record PayoffProjection(int Payments, long TotalInterest, long LastPayment, DateOnly PayoffDate);

/// <summary>
/// Standard monthly amortization in integer minor units: each month the balance accrues rate/12 (rounded half up
/// to the minor unit), then the fixed payment is applied; the last payment is whatever is left.
/// </summary>
public static class Amortization
{
    /// <summary>Fifty years: beyond that the loan is not being paid off, whatever the arithmetic says.</summary>
    public const int MaxMonths = 600;

    public static long MonthlyInterest(long balance, int rateBasisPoints) =>
        // balance × (bps / 10 000) / 12, half up, without floating point. Balances stay far below overflow (≤ 1e14 × 1e4).
        (balance * rateBasisPoints + 60_000) / 120_000;

    /// <summary>Null when the payment never pays the loan off (it does not cover the interest, or it takes over 50 years).</summary>
    public static PayoffProjection? Project(long balance, int rateBasisPoints, long monthlyPayment, int dueDay, DateOnly today)
    {
        var first = new DateOnly(today.Year, today.Month, dueDay);
        if (first <= today)
        {
            first = first.AddMonths(1);
        }

        if (balance <= 0)
        {
            return new PayoffProjection(0, 0, 0, today);
        }

        long totalInterest = 0;
        for (var month = 1; month <= MaxMonths; month++)
        {
            var interest = MonthlyInterest(balance, rateBasisPoints);
            totalInterest += interest;
            balance += interest;
            if (balance <= monthlyPayment)
            {
                return new PayoffProjection(month, totalInterest, balance, first.AddMonths(month - 1));
            }

            if (monthlyPayment <= interest)
            {
                return null;
            }

            balance -= monthlyPayment;
        }

        return null;
    }
}
