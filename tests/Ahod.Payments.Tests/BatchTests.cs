using System.Net;

namespace Ahod.Payments.Tests;

/// <summary>What group commit could break: refusals inside a batch, and retries of one key landing in the same or later batches.</summary>
public sealed class BatchTests(PaymentsAppFixture fixture)
{
    private readonly PaymentsApi _api = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ABurstWhereSomeTransfersOverdraw_RefusesOnlyThose_AndPostsEveryOther()
    {
        var alice = await _api.NewUserAsync(fund: 250);
        var others = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _api.NewUserAsync(fund: 1000)));
        var bob = await _api.NewUserAsync();

        // Sent together, so they share batches: alice's third and later sends overdraw, everyone else's fit.
        var sends = Enumerable.Range(0, 10).Select(_ => (From: alice, Amount: 100L))
            .Concat(Enumerable.Range(0, 40).Select(i => (From: others[i % 4], Amount: 10L)))
            .OrderBy(_ => Random.Shared.Next()).ToList();
        var answers = await Task.WhenAll(sends.Select(async s =>
        {
            using var response = await _api.SendMoneyAsync(s.From, bob.Id, s.Amount);
            var code = response.StatusCode == HttpStatusCode.UnprocessableEntity
                ? (await PaymentsApi.ReadProblemAsync(response)).GetProperty("code").GetString()
                : null;
            return (s.From, response.StatusCode, Code: code);
        }));

        var alices = answers.Where(a => a.From == alice).ToList();
        alices.Count(a => a.StatusCode == HttpStatusCode.Created).ShouldBe(2);
        alices.Where(a => a.StatusCode != HttpStatusCode.Created).ShouldAllBe(a => a.StatusCode == HttpStatusCode.UnprocessableEntity && a.Code == "insufficient_funds");
        answers.Where(a => a.From != alice).ShouldAllBe(a => a.StatusCode == HttpStatusCode.Created);
        (await _api.WalletAsync(alice)).Available.Amount.ShouldBe(50);
        (await _api.WalletAsync(bob)).Available.Amount.ShouldBe(200 + 400);
        await _api.AssertLedgerBalancedAsync();
    }

    [Fact]
    public async Task RetriesWithTheSameKey_InParallelUnderLoad_AllAnswerTheFirstResult_AndPostOnce()
    {
        var users = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _api.NewUserAsync(fund: 10_000)));
        var plan = Enumerable.Range(0, 40).Select(i => (From: users[i % 6], To: users[(i + 1) % 6], Amount: 10L + i, Key: Guid.NewGuid().ToString())).ToList();

        // Each key is sent five times at once, among the other keys' requests: copies land in the same batch and in later ones.
        var answers = await Task.WhenAll(plan.SelectMany(p => Enumerable.Repeat(p, 5)).OrderBy(_ => Random.Shared.Next()).Select(async p =>
        {
            using var response = await _api.SendMoneyAsync(p.From, p.To.Id, p.Amount, p.Key);
            return (p.Key, response.StatusCode, Body: await response.Content.ReadAsStringAsync(Ct));
        }));

        foreach (var key in answers.GroupBy(a => a.Key))
        {
            key.ShouldAllBe(a => a.StatusCode == HttpStatusCode.Created, string.Join(", ", key.Select(a => a.StatusCode)));
            key.Select(a => a.Body).Distinct().Count().ShouldBe(1, "every retry answers the first result byte for byte");
        }

        var posted = await _api.ScalarAsync<long>(
            "SELECT count(*) FROM transfers WHERE code = 'p2p' AND initiated_by = ANY($1)", users.Select(u => u.Id).ToArray());
        posted.ShouldBe(plan.Count);
        (await Task.WhenAll(users.Select(async u => (await _api.WalletAsync(u)).Available.Amount))).Sum().ShouldBe(6 * 10_000);
        await _api.AssertLedgerBalancedAsync();
    }
}
