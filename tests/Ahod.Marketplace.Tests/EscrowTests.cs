using Ahod.Testing;
using System.Net;
using System.Text.Json;
using static Ahod.Testing.Eventually;

namespace Ahod.Marketplace.Tests;

/// <summary>Escrow under parallel load, through every ending; then the ledger must balance and each wallet agree with its request.</summary>
public sealed class EscrowTests(MarketplaceAppFixture fixture)
{
    private const long Fund = 10_000;
    private const long Price = 1_500;

    private readonly MarketApi _api = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private enum Ending
    {
        CompletedByRequester,
        CompletedByOwner,
        CancelledAfterPayment,
        DeclinedAfterPayment,
        CancelledBeforePayment,
        Expired,
        CompleteRacesCancel,
    }

    [Fact]
    public async Task ManyRequests_EveryEnding_InParallel_LedgerBalances_AndNoMoneyIsCreatedOrLost()
    {
        var endings = Enum.GetValues<Ending>().SelectMany(e => Enumerable.Repeat(e, 2)).ToList();
        var owner = await _api.NewUserAsync(fund: 0);
        var listingId = (await _api.CreateListingAsync(owner, MarketApi.ListingBody("rent", "goods", price: Price, priceUnit: "day"))).GetProperty("id").GetGuid();
        var requesters = new List<TestUser>();
        foreach (var batch in endings.Chunk(4))
        {
            requesters.AddRange(await Task.WhenAll(batch.Select(_ => _api.NewUserAsync(Fund))));
        }

        var outcomes = await Task.WhenAll(endings.Select((ending, i) => RunAsync(ending, owner, requesters[i], listingId)));

        // Expired holds come back as accepted requests once Payments expires them.
        foreach (var (requestId, ending, requester) in outcomes.Where(o => o.Ending == Ending.Expired))
        {
            await EventuallyAsync(async () =>
            {
                var r = await _api.GetAsync(requester, $"/api/requests/{requestId}");
                return r.GetProperty("status").GetString() == "accepted" ? r : (JsonElement?)null;
            }, MarketplaceAppFixture.HoldTimeout + TimeSpan.FromSeconds(60), "the expired hold to put the request back to accepted", TestContext.Current.CancellationToken);
            var after = await _api.GetAsync(requester, $"/api/requests/{requestId}");
            after.GetProperty("payment").GetProperty("status").GetString().ShouldBe("expired");
        }

        // Each requester: the price is gone exactly when the request completed; nothing is left pending.
        var completed = 0;
        foreach (var (requestId, ending, requester) in outcomes)
        {
            var request = await _api.GetAsync(requester, $"/api/requests/{requestId}");
            var status = request.GetProperty("status").GetString();
            var (available, pending) = (await EventuallyAsync<(long, long)?>(async () =>
            {
                var b = await _api.BalancesAsync(requester);
                return b.Available is Fund or Fund - Price ? b : null;
            }, TimeSpan.FromSeconds(30), "the requester's wallet to settle", TestContext.Current.CancellationToken))!.Value;
            pending.ShouldBe(0L);
            if (status == "completed")
            {
                completed++;
                available.ShouldBe(Fund - Price, $"{ending}: completed, so paid");
                request.GetProperty("payment").GetProperty("status").GetString().ShouldBe("posted");
            }
            else
            {
                available.ShouldBe(Fund, $"{ending}: {status}, so refunded");
            }

            var expected = ending switch
            {
                Ending.CompletedByOwner or Ending.CompletedByRequester => new[] { "completed" },
                Ending.CancelledAfterPayment or Ending.CancelledBeforePayment => ["cancelled"],
                Ending.DeclinedAfterPayment => ["declined"],
                Ending.Expired => ["accepted"],
                _ => ["completed", "cancelled"],
            };
            expected.ShouldContain(status, ending.ToString());
        }

        (await _api.BalancesAsync(owner)).ShouldBe((completed * Price, 0L));
        await AssertLedgerBalancedAsync(outcomes.Select(o => o.RequestId.ToString()).ToArray());
    }

    private async Task<(Guid RequestId, Ending Ending, TestUser Requester)> RunAsync(Ending ending, TestUser owner, TestUser requester, Guid listingId)
    {
        var id = (await _api.CreateRequestAsync(requester, listingId, new { message = ending.ToString(), startDate = "2026-12-20", endDate = "2026-12-22" })).GetProperty("id").GetGuid();
        (await _api.SetStatusAsync(owner, id, "accepted")).StatusCode.ShouldBe(HttpStatusCode.OK);
        if (ending == Ending.CancelledBeforePayment)
        {
            (await _api.SetStatusAsync(requester, id, "cancelled")).StatusCode.ShouldBe(HttpStatusCode.OK);
            return (id, ending, requester);
        }

        // Two attempts with one key at once: one hold, one answer.
        var key = Guid.NewGuid().ToString();
        var pays = await Task.WhenAll(_api.PayAsync(requester, id, key), _api.PayAsync(requester, id, key));
        pays.Count(p => p.StatusCode == HttpStatusCode.Created).ShouldBeGreaterThanOrEqualTo(1, string.Join(", ", pays.Select(p => p.StatusCode)));
        pays.ShouldAllBe(p => p.StatusCode == HttpStatusCode.Created || p.StatusCode == HttpStatusCode.Conflict);

        switch (ending)
        {
            case Ending.CompletedByRequester:
                (await _api.SetStatusAsync(requester, id, "completed")).StatusCode.ShouldBe(HttpStatusCode.OK);
                break;
            case Ending.CompletedByOwner:
                (await _api.SetStatusAsync(owner, id, "completed")).StatusCode.ShouldBe(HttpStatusCode.OK);
                break;
            case Ending.CancelledAfterPayment:
                (await _api.SetStatusAsync(requester, id, "cancelled")).StatusCode.ShouldBe(HttpStatusCode.OK);
                break;
            case Ending.DeclinedAfterPayment:
                (await _api.SetStatusAsync(owner, id, "declined", "Changed my mind")).StatusCode.ShouldBe(HttpStatusCode.OK);
                break;
            case Ending.CompleteRacesCancel:
                var race = await Task.WhenAll(_api.SetStatusAsync(owner, id, "completed"), _api.SetStatusAsync(requester, id, "cancelled"));
                race.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1, "exactly one of complete and cancel wins");
                race.Count(r => r.StatusCode == HttpStatusCode.Conflict).ShouldBe(1);
                break;
        }

        return (id, ending, requester);
    }

    /// <summary>Payments' invariants (<see cref="LedgerInvariants"/>, as Payments' own tests check them), and no escrow of these requests left pending.</summary>
    private async Task AssertLedgerBalancedAsync(string[] requestIds)
    {
        (await LedgerInvariants.ViolationsAsync(fixture.PaymentsDb, TestContext.Current.CancellationToken)).ShouldBeEmpty();
        (await MarketApi.ScalarAsync<long>(fixture.PaymentsDb,
            "SELECT count(*) FROM transfers WHERE code = 'escrow' AND status = 'pending' AND metadata->>'requestId' = ANY($1)", (object)requestIds))
            .ShouldBe(0L, "no escrow hold of these requests left pending");
    }
}
