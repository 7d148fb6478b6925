using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ahod.Savings.Data;
using Ahod.Savings.Scheduling;
using Ahod.Testing;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Savings.Tests;

public sealed class DatabaseTests(SavingsAppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private SavingsDbContext CreateContext(string connectionString)
    {
        var options = new DbContextOptionsBuilder<SavingsDbContext>().UseNpgsql(connectionString);
        SavingsExtensions.ConfigureDbContext(options);
        return new SavingsDbContext(options.Options);
    }

    [Fact]
    public Task Migrations_BuildExactlyTheModelSchema() =>
        SchemaAssert.MigrationsMatchModelAsync(fixture.SavingsDb, CreateContext, Ct);

    [Fact]
    public async Task SchedulerLease_OneHolderAtATime_TakenOverOnlyAfterExpiry()
    {
        var name = $"test-lease-{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow;
        await using var a = CreateContext(fixture.SavingsDb);
        await using var b = CreateContext(fixture.SavingsDb);
        var replicaA = new SchedulerLeaseStore(a);
        var replicaB = new SchedulerLeaseStore(b);

        (await replicaA.TryAcquireAsync(name, "a", now, TimeSpan.FromMinutes(1), Ct)).ShouldBeTrue();
        (await replicaB.TryAcquireAsync(name, "b", now, TimeSpan.FromMinutes(1), Ct)).ShouldBeFalse();
        (await replicaA.TryAcquireAsync(name, "a", now.AddSeconds(30), TimeSpan.FromMinutes(1), Ct)).ShouldBeTrue("the holder renews");
        (await replicaB.TryAcquireAsync(name, "b", now.AddSeconds(60), TimeSpan.FromMinutes(1), Ct)).ShouldBeFalse("renewed until +90 s");
        (await replicaB.TryAcquireAsync(name, "b", now.AddSeconds(91), TimeSpan.FromMinutes(1), Ct)).ShouldBeTrue("an expired lease is taken over");
        (await replicaA.TryAcquireAsync(name, "a", now.AddSeconds(92), TimeSpan.FromMinutes(1), Ct)).ShouldBeFalse();
    }

    [Fact]
    public async Task GdprExport_RequiresInternalKey_AndListsTheUsersData()
    {
        var api = new SavingsApi(fixture);
        var (community, users) = await api.CommunityWithMembersAsync(0, fund: 5_000);
        (await api.ContributeAsync(users[0], community.GetProperty("id").GetGuid())).StatusCode.ShouldBe(HttpStatusCode.Created);
        using (var loan = await api.SendAsync(HttpMethod.Post, "/api/loans", users[0].Token, new
               {
                   servicer = "Great Lakes",
                   principal = new { amount = 2_000_000, currency = "USD" },
                   rateBasisPoints = 550,
                   dueDay = 10,
                   monthlyPayment = new { amount = 30_000, currency = "USD" },
               }))
        {
            loan.StatusCode.ShouldBe(HttpStatusCode.Created, await loan.Content.ReadAsStringAsync(Ct));
            (await SavingsApi.ReadAsync(loan)).GetProperty("projection").GetProperty("payments").GetInt32().ShouldBeGreaterThan(0);
        }

        using var noKey = fixture.App.CreateHttpClient("savings");
        (await noKey.GetAsync($"/internal/gdpr/users/{users[0].Id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var savings = fixture.CreateInternalClient("savings");
        var export = await savings.GetFromJsonAsync<JsonElement>($"/internal/gdpr/users/{users[0].Id}", Ct);
        export.GetProperty("service").GetString().ShouldBe("savings");
        var data = export.GetProperty("data");
        data.GetProperty("memberships").GetArrayLength().ShouldBe(1);
        data.GetProperty("contributions").GetArrayLength().ShouldBe(1);
        data.GetProperty("loans")[0].GetProperty("servicer").GetString().ShouldBe("Great Lakes");

        // The gateway never routes /internal.
        (await api.SendAsync(HttpMethod.Get, $"/internal/gdpr/users/{users[0].Id}", users[0].Token)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task GdprExport_ThroughTheGateway_CollectsIdentityPaymentsAndSavings()
    {
        var api = new SavingsApi(fixture);
        var (community, users) = await api.CommunityWithMembersAsync(0, fund: 5_000);
        (await api.ContributeAsync(users[0], community.GetProperty("id").GetGuid())).StatusCode.ShouldBe(HttpStatusCode.Created);

        using var response = await api.SendAsync(HttpMethod.Get, "/api/users/me/export", users[0].Token);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var export = await SavingsApi.ReadAsync(response);
        export.GetProperty("userId").GetGuid().ShouldBe(users[0].Id);
        var sections = export.GetProperty("services").EnumerateArray().ToDictionary(s => s.GetProperty("service").GetString()!, s => s.GetProperty("data"));
        sections.Keys.Order().ShouldBe(["identity", "payments", "savings"]);
        sections["identity"].GetProperty("email").GetString().ShouldBe(users[0].Email);
        sections["savings"].GetProperty("memberships").GetArrayLength().ShouldBe(1);
        sections["payments"].ValueKind.ShouldBe(JsonValueKind.Object);
        sections["payments"].ToString().ShouldContain(users[0].WalletId.ToString());
    }
}
