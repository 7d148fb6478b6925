using System.Net;
using System.Text.Json;
using Ahod.Savings.Data;
using Ahod.Savings.Ledger;
using Ahod.Savings.Payouts;
using Ahod.Savings.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Ahod.Savings.Tests;

/// <summary>
/// A scheduler pass acts on every community in the database at the time its clock says, so these tests run alone:
/// after the parallel ones, never while another test counts strikes.
/// </summary>
[CollectionDefinition(nameof(SchedulerCollection), DisableParallelization = true)]
public sealed class SchedulerCollection;

/// <summary>
/// The scheduler's pass (<see cref="SavingsScheduler.RunOnceAsync"/>) against the real savingsdb and Payments, with a clock
/// the test sets: weeks pass in a line. Communities, members and contributions are made through the gateway.
/// </summary>
[Collection(nameof(SchedulerCollection))]
public sealed class SchedulerTests(SavingsAppFixture fixture) : IAsyncLifetime
{
    private readonly SavingsApi _api = new(fixture);
    private readonly ManualClock _clock = new();
    private ServiceProvider? _services;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DueReminder_WrittenOnceForEachOwingMember_MissedStrikeOnlyAfterDuePlusGrace()
    {
        var (community, users) = await _api.CommunityWithMembersAsync(2, SavingsApi.CommunityBody(graceDays: 2));
        var id = community.GetProperty("id").GetGuid();
        var (admin, payer, late) = (users[0], users[1], users[2]);
        foreach (var user in new[] { admin, payer })
        {
            using var paid = await _api.ContributeAsync(user, id);
            paid.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        var due = community.GetProperty("currentCycle").GetProperty("dueAt").GetDateTimeOffset();
        var scheduler = CreateScheduler();

        // Before the reminder lead (two days): nothing.
        await PassesAsync(scheduler, due - TimeSpan.FromDays(3));
        (await DueRemindersAsync(id)).ShouldBe(0);

        // Inside the lead: one reminder, to the one member who has not paid; later passes do not repeat it.
        await PassesAsync(scheduler, due - TimeSpan.FromDays(1), until: async () => await DueRemindersAsync(id) > 0);
        await PassesAsync(scheduler, due - TimeSpan.FromHours(1));
        (await DueRemindersAsync(id)).ShouldBe(1);
        (await SavingsDatabase.CountOutboxAsync(fixture.SavingsDb, "community.contribution-due", id, late.Id)).ShouldBe(1);

        // Past due but within grace: no strike yet.
        await PassesAsync(scheduler, due + TimeSpan.FromDays(2) - TimeSpan.FromMinutes(1));
        (await StrikesAsync(admin, id)).Values.ShouldAllBe(s => s == 0);

        // Past due + grace: the member who still owes gets one strike, whatever the number of passes.
        await PassesAsync(scheduler, due + TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1),
            until: async () => (await StrikesAsync(admin, id))[late.Id] > 0);
        await PassesAsync(scheduler, due + TimeSpan.FromDays(5));
        var strikes = await StrikesAsync(admin, id);
        strikes[late.Id].ShouldBe(1);
        strikes[admin.Id].ShouldBe(0);
        strikes[payer.Id].ShouldBe(0);

        var cycle = (await _api.GetAsync(admin, $"/api/communities/{id}/cycles")).GetProperty("items")[0];
        cycle.GetProperty("status").GetString().ShouldBe("open", "closing by hand is the rule when autoClose is off");
        cycle.GetProperty("unpaid").EnumerateArray().Select(u => u.GetGuid()).ShouldBe([late.Id]);
    }

    [Fact]
    public async Task AutoClose_AfterDuePlusGrace_PaysThePotToTheRecipientInPayments_AndOpensTheNextCycle()
    {
        const long contribution = 2_500;
        var (community, users) = await _api.CommunityWithMembersAsync(2, SavingsApi.CommunityBody(contribution: contribution, graceDays: 1, autoClose: true));
        var id = community.GetProperty("id").GetGuid();
        var (admin, payer, late) = (users[0], users[1], users[2]);
        foreach (var user in new[] { admin, payer })
        {
            using var paid = await _api.ContributeAsync(user, id);
            paid.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        var due = community.GetProperty("currentCycle").GetProperty("dueAt").GetDateTimeOffset();
        var before = await _api.WalletBalanceAsync(admin);
        var scheduler = CreateScheduler();

        await PassesAsync(scheduler, due + TimeSpan.FromDays(1) - TimeSpan.FromMinutes(1));
        (await CycleAsync(admin, id, 1)).GetProperty("status").GetString().ShouldBe("open", "still within grace");

        var closeAt = due + TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1);
        await PassesAsync(scheduler, closeAt, until: async () => (await CycleAsync(admin, id, 1)).GetProperty("status").GetString() == "closed");
        await PassesAsync(scheduler, closeAt + TimeSpan.FromHours(1));

        var closed = await CycleAsync(admin, id, 1);
        closed.GetProperty("status").GetString().ShouldBe("closed");
        closed.GetProperty("recipient").GetGuid().ShouldBe(admin.Id, "rotation in join order: the creator first");
        closed.GetProperty("payout").GetProperty("amount").GetInt64().ShouldBe(2 * contribution);
        var disbursement = closed.GetProperty("disbursements").EnumerateArray().ShouldHaveSingleItem();
        disbursement.GetProperty("status").GetString().ShouldBe("posted");

        // The money moved in Payments' ledger: pot → the recipient's wallet, once.
        var potId = (await _api.GetAsync(admin, $"/api/communities/{id}")).GetProperty("potAccountId").GetGuid();
        var transfer = await _api.GetAsync(admin, $"/api/payments/transfers/{disbursement.GetProperty("transferId").GetGuid()}");
        transfer.GetProperty("debitAccountId").GetGuid().ShouldBe(potId);
        transfer.GetProperty("creditAccountId").GetGuid().ShouldBe(admin.WalletId);
        transfer.GetProperty("amount").GetProperty("amount").GetInt64().ShouldBe(2 * contribution);
        (await _api.WalletBalanceAsync(admin)).ShouldBe(before + 2 * contribution);
        (await _api.PotBalanceAsync(potId)).ShouldBe(0);
        (await SavingsDatabase.CountOutboxAsync(fixture.SavingsDb, "community.payout-made", id)).ShouldBe(1);

        // Closing after due + grace gave the missing member their strike, and the next cycle is open and due after "now".
        (await StrikesAsync(admin, id))[late.Id].ShouldBe(1);
        var next = await CycleAsync(admin, id, 2);
        next.GetProperty("status").GetString().ShouldBe("open");
        next.GetProperty("dueAt").GetDateTimeOffset().ShouldBeGreaterThan(closeAt);
    }

    public ValueTask InitializeAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddDbContext<SavingsDbContext>(options =>
        {
            options.UseNpgsql(fixture.SavingsDb);
            SavingsExtensions.ConfigureDbContext(options);
        });
        services.AddSingleton(new PaymentsClient(fixture.CreateInternalClient("payments")));
        services.AddScoped<PayoutService>();
        services.AddScoped<SchedulerLeaseStore>();
        _services = services.BuildServiceProvider();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        // The test's clock leased the scheduler far into the future; hand it back to the service's own scheduler.
        await SavingsDatabase.ExecuteAsync(fixture.SavingsDb, $"DELETE FROM scheduler_leases WHERE name = '{SavingsScheduler.LeaseName}'");
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }

    private SavingsScheduler CreateScheduler() => new(
        _services!.GetRequiredService<IServiceScopeFactory>(), Options.Create(new SchedulerOptions()), _clock, NullLogger<SavingsScheduler>.Instance);

    /// <summary>
    /// Passes at <paramref name="now"/>: until <paramref name="until"/> holds, or three when there is nothing to wait for.
    /// A pass takes a bounded batch, and the database holds every other test's communities too.
    /// </summary>
    private async Task PassesAsync(SavingsScheduler scheduler, DateTimeOffset now, Func<Task<bool>>? until = null)
    {
        _clock.Now = now;
        for (var pass = 0; pass < 10; pass++)
        {
            (await scheduler.RunOnceAsync(Ct)).ShouldBeTrue("the test's scheduler holds the lease");
            if (until is null ? pass == 2 : await until())
            {
                return;
            }
        }

        throw new TimeoutException($"The scheduler did not get there in 10 passes at {now:O}.");
    }

    private Task<long> DueRemindersAsync(Guid communityId) =>
        SavingsDatabase.CountOutboxAsync(fixture.SavingsDb, "community.contribution-due", communityId);

    private async Task<Dictionary<Guid, int>> StrikesAsync(TestUser viewer, Guid communityId) =>
        (await _api.GetAsync(viewer, $"/api/communities/{communityId}")).GetProperty("members").EnumerateArray()
            .ToDictionary(m => m.GetProperty("userId").GetGuid(), m => m.GetProperty("strikes").GetInt32());

    private async Task<JsonElement> CycleAsync(TestUser viewer, Guid communityId, int number) =>
        (await _api.GetAsync(viewer, $"/api/communities/{communityId}/cycles?cursor={number - 1}&limit=1")).GetProperty("items").EnumerateArray().Single(c => c.GetProperty("number").GetInt32() == number);

    /// <summary>A clock that says what the test sets.</summary>
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
