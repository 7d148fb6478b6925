using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Ahod.Savings.Data;
using Ahod.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Savings.Loans;

/// <param name="RateBasisPoints">Annual interest rate in basis points: 550 = 5.50 % (integers only, like money).</param>
public sealed record CreateLoanRequest(
    [Required, MinLength(2), MaxLength(200)] string Servicer,
    [Required] Money Principal,
    Money? Balance,
    [Range(0, 10_000)] int RateBasisPoints,
    [Range(1, 28)] int DueDay,
    [Required] Money MonthlyPayment);

public sealed record UpdateLoanRequest(
    [MinLength(2), MaxLength(200)] string? Servicer,
    Money? Balance,
    [Range(0, 10_000)] int? RateBasisPoints,
    [Range(1, 28)] int? DueDay,
    Money? MonthlyPayment);

public sealed record LoanPaymentResponse(Guid Id, Money Amount, string Source, Guid? CommunityId, int? CycleNumber, Guid? TransferId, DateTimeOffset CreatedAt);

public sealed record ProjectionResponse(int Payments, Money TotalInterest, Money LastPayment, DateOnly PayoffDate);

public sealed record LoanResponse(
    Guid Id,
    string Servicer,
    Money Principal,
    Money Balance,
    int RateBasisPoints,
    int DueDay,
    Money MonthlyPayment,
    Money PaidViaAhod,
    int PercentPaid,
    ProjectionResponse? Projection,
    IReadOnlyList<LoanPaymentResponse> Payments,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public sealed record CommunityProgress(Guid CommunityId, string Name, Money Goal, Money Contributed, Money Received, int PercentOfGoal);

/// <summary>A page of my loans, and on every page my progress in each of my communities.</summary>
public sealed record LoansPage(IReadOnlyList<LoanResponse> Items, string? NextCursor, IReadOnlyList<CommunityProgress> Communities)
    : Page<LoanResponse>(Items, NextCursor);

public static class LoansEndpoints
{
    public static RouteGroupBuilder MapLoansEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/loans").RequireAuthorization().WithTags("Loans");
        group.MapPost("/", CreateAsync)
            .WithName("CreateLoan")
            .WithSummary("Track a student loan")
            .WithDescription("Servicer, principal and balance (Money), interest rate, payments made.");
        group.MapGet("/", ListAsync)
            .WithName("ListLoans")
            .WithSummary("My student loans")
            .WithDescription("With progress across communities; cursor paged.");
        group.MapGet("/{id:guid}", GetAsync)
            .WithName("GetLoan")
            .WithSummary("One of my loans");
        group.MapPatch("/{id:guid}", UpdateAsync)
            .WithName("UpdateLoan")
            .WithSummary("Update one of my loans")
            .WithDescription("Fields left out stay as they are.");
        return group;
    }

    internal static async Task<Results<Created<LoanResponse>, ValidationProblem>> CreateAsync(
        CreateLoanRequest request, ClaimsPrincipal user, SavingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var validation = new Validation();
        validation.Money(request.Principal, "principal");
        validation.Money(request.MonthlyPayment, "monthlyPayment");
        if (request.Balance is not null)
        {
            validation.Money(request.Balance, "balance", allowZero: true);
            validation.Require(request.Balance.Currency == request.Principal?.Currency, "balance.currency", "Must be the principal's currency.");
            validation.Require(request.Principal is null || request.Balance.Amount <= request.Principal.Amount, "balance.amount",
                "Must not exceed the principal.");
        }

        validation.Require(request.MonthlyPayment?.Currency == request.Principal?.Currency, "monthlyPayment.currency", "Must be the principal's currency.");
        if (!validation.IsValid)
        {
            return Problems.Invalid(validation);
        }

        var now = clock.GetUtcNow();
        var loan = new Loan
        {
            Id = Guid.CreateVersion7(),
            UserId = user.GetUserId(),
            Servicer = request.Servicer.Trim(),
            Currency = request.Principal!.Currency,
            PrincipalAmount = request.Principal.Amount,
            BalanceAmount = request.Balance?.Amount ?? request.Principal.Amount,
            RateBasisPoints = request.RateBasisPoints,
            DueDay = request.DueDay,
            MonthlyPaymentAmount = request.MonthlyPayment!.Amount,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Loans.Add(loan);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/loans/{loan.Id}", ToResponse(loan, [], now));
    }

    internal static async Task<Results<Ok<LoansPage>, ValidationProblem>> ListAsync(
        ClaimsPrincipal user, SavingsDbContext db, TimeProvider clock, CancellationToken cancellationToken, int? limit = null, string? cursor = null)
    {
        var validation = new Validation();
        var take = validation.Limit(limit);
        var after = validation.Cursor<Guid>(cursor, Guid.TryParse);
        if (!validation.IsValid)
        {
            return Problems.Invalid(validation);
        }

        var userId = user.GetUserId();
        var now = clock.GetUtcNow();
        // Oldest first: v7 ids sort by creation time, the cursor is the last id seen.
        var query = db.Loans.AsNoTracking().Where(l => l.UserId == userId);
        if (after is { } a)
        {
            query = query.Where(l => l.Id.CompareTo(a) > 0);
        }

        var loans = await query.OrderBy(l => l.Id).Take(take + 1).ToListAsync(cancellationToken);
        var loanIds = loans.Select(l => l.Id).ToList();
        var payments = await db.LoanPayments.AsNoTracking().Where(p => loanIds.Contains(p.LoanId)).ToListAsync(cancellationToken);

        var communities = await db.Communities.AsNoTracking()
            .Where(c => db.Members.Any(m => m.CommunityId == c.Id && m.UserId == userId && (m.Status == MemberStatuses.Active || m.Status == MemberStatuses.Suspended)))
            .Select(c => new
            {
                c.Id,
                c.Name,
                c.GoalAmount,
                c.Currency,
                Contributed = db.Contributions.Where(x => x.CommunityId == c.Id).Sum(x => x.Amount + x.LateFee),
                Received = db.Disbursements.Where(d => d.CommunityId == c.Id && d.UserId == userId).Sum(d => d.Amount),
            })
            .ToListAsync(cancellationToken);

        var page = Paging.From(loans, take, l => l.Id.ToString());
        return TypedResults.Ok(new LoansPage(
            page.Items.Select(l => ToResponse(l, payments.Where(p => p.LoanId == l.Id).ToList(), now)).ToList(),
            page.NextCursor,
            communities.Select(c => new CommunityProgress(
                c.Id, c.Name, new Money(c.GoalAmount, c.Currency), new Money(c.Contributed, c.Currency), new Money(c.Received, c.Currency),
                c.GoalAmount == 0 ? 100 : (int)Math.Min(100, c.Contributed * 100 / c.GoalAmount))).ToList()));
    }

    internal static async Task<Results<Ok<LoanResponse>, ProblemHttpResult>> GetAsync(
        Guid id, ClaimsPrincipal user, SavingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        var loan = await db.Loans.AsNoTracking().SingleOrDefaultAsync(l => l.Id == id && l.UserId == userId, cancellationToken);
        if (loan is null)
        {
            return Problems.NotFound("loan");
        }

        var payments = await db.LoanPayments.AsNoTracking().Where(p => p.LoanId == id).ToListAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(loan, payments, clock.GetUtcNow()));
    }

    internal static async Task<Results<Ok<LoanResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, UpdateLoanRequest request, ClaimsPrincipal user, SavingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        var loan = await db.Loans.SingleOrDefaultAsync(l => l.Id == id && l.UserId == userId, cancellationToken);
        if (loan is null)
        {
            return Problems.NotFound("loan");
        }

        var validation = new Validation();
        if (request.Balance is not null)
        {
            validation.Money(request.Balance, "balance", allowZero: true);
            validation.Require(request.Balance.Currency == loan.Currency, "balance.currency", $"Must be {loan.Currency}, the loan's currency.");
            validation.Require(request.Balance.Amount <= loan.PrincipalAmount, "balance.amount", $"Must not exceed the principal ({loan.PrincipalAmount}).");
        }

        if (request.MonthlyPayment is not null)
        {
            validation.Money(request.MonthlyPayment, "monthlyPayment");
            validation.Require(request.MonthlyPayment.Currency == loan.Currency, "monthlyPayment.currency", $"Must be {loan.Currency}, the loan's currency.");
        }

        if (!validation.IsValid)
        {
            return Problems.Invalid(validation);
        }

        loan.Servicer = request.Servicer?.Trim() ?? loan.Servicer;
        loan.BalanceAmount = request.Balance?.Amount ?? loan.BalanceAmount;
        loan.RateBasisPoints = request.RateBasisPoints ?? loan.RateBasisPoints;
        loan.DueDay = request.DueDay ?? loan.DueDay;
        loan.MonthlyPaymentAmount = request.MonthlyPayment?.Amount ?? loan.MonthlyPaymentAmount;
        loan.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        var payments = await db.LoanPayments.AsNoTracking().Where(p => p.LoanId == id).ToListAsync(cancellationToken);
        return TypedResults.Ok(ToResponse(loan, payments, loan.UpdatedAt));
    }

    private static LoanResponse ToResponse(Loan loan, IReadOnlyList<LoanPayment> payments, DateTimeOffset now)
    {
        var projection = Amortization.Project(loan.BalanceAmount, loan.RateBasisPoints, loan.MonthlyPaymentAmount, loan.DueDay, DateOnly.FromDateTime(now.UtcDateTime));
        var paid = payments.Sum(p => p.Amount);
        var repaid = loan.PrincipalAmount - loan.BalanceAmount;
        return new LoanResponse(
            loan.Id,
            loan.Servicer,
            new Money(loan.PrincipalAmount, loan.Currency),
            new Money(loan.BalanceAmount, loan.Currency),
            loan.RateBasisPoints,
            loan.DueDay,
            new Money(loan.MonthlyPaymentAmount, loan.Currency),
            new Money(paid, loan.Currency),
            loan.PrincipalAmount == 0 ? 100 : (int)Math.Clamp(repaid * 100 / loan.PrincipalAmount, 0, 100),
            projection is null ? null : new ProjectionResponse(
                projection.Payments, new Money(projection.TotalInterest, loan.Currency), new Money(projection.LastPayment, loan.Currency), projection.PayoffDate),
            payments.OrderByDescending(p => p.CreatedAt)
                .Select(p => new LoanPaymentResponse(p.Id, new Money(p.Amount, loan.Currency), p.Source, p.CommunityId, p.CycleNumber, p.TransferId, p.CreatedAt))
                .ToList(),
            loan.CreatedAt,
            loan.UpdatedAt);
    }
}
