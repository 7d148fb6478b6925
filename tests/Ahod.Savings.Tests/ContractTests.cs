using System.Net;
using System.Text.Json;

namespace Ahod.Savings.Tests;

/// <summary>The public contract's shapes, as a client reads them through the gateway: error keys, paging, field rules.</summary>
public sealed class ContractTests(SavingsAppFixture fixture)
{
    private readonly SavingsApi _api = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string[]> ErrorKeysAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync(Ct));
        return (await SavingsApi.ReadProblemAsync(response)).GetProperty("errors").EnumerateObject().Select(e => e.Name).ToArray();
    }

    [Fact]
    public async Task InvalidCommunityAndLoan_NameTheFieldsInCamelCase()
    {
        var user = await _api.NewUserAsync(fund: 0);

        using var community = await _api.SendAsync(HttpMethod.Post, "/api/communities", user.Token, new
        {
            name = "ab",
            goal = new { amount = 100_000, currency = "USD" },
            contribution = new { amount = -10, currency = "USD" },
            frequency = "monthly",
            payoutMethod = "rotation",
            maxMembers = 1,
            isPrivate = true,
        });
        var keys = await ErrorKeysAsync(community);
        keys.ShouldContain("name");
        keys.ShouldContain("maxMembers");
        keys.ShouldContain("contribution.amount");

        using var loan = await _api.SendAsync(HttpMethod.Post, "/api/loans", user.Token, new
        {
            servicer = "Nelnet",
            principal = new { amount = -1, currency = "USD" },
            rateBasisPoints = 450,
            dueDay = 5,
            monthlyPayment = new { amount = 10_000, currency = "USD" },
        });
        var loanKeys = await ErrorKeysAsync(loan);
        loanKeys.ShouldContain("principal.amount");

        foreach (var key in keys.Concat(loanKeys))
        {
            key.Split('.').ShouldAllBe(segment => char.IsLower(segment[0]), $"'{key}' is not camelCase");
        }
    }
}
