using Ahod.Savings.Loans;

namespace Ahod.Savings.Tests;

public sealed class AmortizationTests
{
    [Fact]
    public void Project_SmallLoan_MatchesHandComputedSchedule()
    {
        // $1,000.00 at 12 % a year (1 % a month), $500.00 a month, due on the 15th, today 10 Jan 2026:
        //   Jan 15: interest 10.00 → 1,010.00 − 500 = 510.00
        //   Feb 15: interest  5.10 →   515.10 − 500 =  15.10
        //   Mar 15: interest  0.151 → 0.15 (half up) → last payment 15.25
        var projection = Amortization.Project(100_000, 1_200, 50_000, 15, new DateOnly(2026, 1, 10));

        projection.ShouldNotBeNull();
        projection.Payments.ShouldBe(3);
        projection.TotalInterest.ShouldBe(1_000 + 510 + 15);
        projection.LastPayment.ShouldBe(1_525);
        projection.PayoffDate.ShouldBe(new DateOnly(2026, 3, 15));
    }

    [Fact]
    public void Project_TenYearStandardLoan_PaysOffIn120Months()
    {
        // $10,000 at 6 %: the annuity formula gives 111.0205/month over 120 months; paying 111.03 finishes in month 120.
        var projection = Amortization.Project(1_000_000, 600, 11_103, 1, new DateOnly(2026, 5, 20));

        projection.ShouldNotBeNull();
        projection.Payments.ShouldBe(120);
        projection.LastPayment.ShouldBeInRange(10_800, 11_103);
        projection.PayoffDate.ShouldBe(new DateOnly(2036, 5, 1));
    }

    [Fact]
    public void Project_PaymentNotCoveringInterest_NeverPaysOff() =>
        Amortization.Project(100_000, 1_200, 1_000, 1, new DateOnly(2026, 1, 1)).ShouldBeNull();

    [Fact]
    public void MonthlyInterest_RoundsHalfUpToTheMinorUnit()
    {
        Amortization.MonthlyInterest(100_050, 1_200).ShouldBe(1_001); // 1000.5 → 1001
        Amortization.MonthlyInterest(100_049, 1_200).ShouldBe(1_000); // 1000.49 → 1000
        Amortization.MonthlyInterest(100_000, 0).ShouldBe(0);
    }
}
