using System.Text.Json;
using System.Text.RegularExpressions;
using Ahod.Payments.Accounts;
using Ahod.Payments.Data;
using Ahod.Payments.Gdpr;
using Ahod.Payments.Idempotency;
using Ahod.Payments.Ledger;

namespace Ahod.Payments.Internal;

/// <summary>
/// The service-to-service API (Savings, Marketplace, Identity's GDPR aggregator). Authenticated by the internal
/// key; never routed by the gateway. Transfer ids are the callers' idempotency ids.
/// </summary>
public static partial class InternalEndpoints
{
    public static RouteGroupBuilder MapInternalEndpoints(this RouteGroupBuilder group)
    {
        // Paths as Ahod.Contracts' PaymentsInternalApi names them for callers.
        group.MapPost("/accounts/pots", OpenAccountAsync);
        group.MapGet("/accounts/{id:guid}", GetAccountAsync);
        group.MapGet("/users/{userId:guid}/wallets", WalletsAsync);
        group.MapPost("/transfers", TransferAsync);
        group.MapPost("/holds", HoldAsync);
        group.MapPost("/holds/{id:guid}/post", PostHoldAsync);
        group.MapPost("/holds/{id:guid}/void", VoidHoldAsync);
        group.MapGet("/gdpr/users/{userId:guid}", GdprExport.ExportAsync);
        group.MapGet("/gdpr/users/{userId:guid}/erasure", ErasureCheck.CheckAsync);
        return group;
    }

    internal static async Task<Results<Created<AccountView>, Ok<AccountView>, ValidationProblem>> OpenAccountAsync(
        OpenAccountRequest body, AccountDirectory accounts, CancellationToken ct)
    {
        var validation = new Validation();
        validation.Require(body.OwnerType is { } type && Name().IsMatch(type), "ownerType", "e.g. community or listing.");
        validation.Id(body.OwnerId, "ownerId");
        validation.Require(Currencies.IsKnown(body.Currency), "currency", "A supported ISO 4217 code, e.g. USD.");
        validation.Require(body.Kind is null or AccountKinds.Pot or AccountKinds.Escrow, "kind", "pot (default) or escrow.");
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var (account, created) = await accounts.OpenAsync(body.Kind ?? AccountKinds.Pot, body.OwnerType!, body.OwnerId, body.Currency!, ct);
        var view = ContractViews.ToAccountView(account);
        return created ? TypedResults.Created($"/internal/accounts/{account.Id}", view) : TypedResults.Ok(view);
    }

    internal static async Task<Results<Ok<AccountView>, NotFound>> GetAccountAsync(Guid id, AccountDirectory accounts, CancellationToken ct) =>
        await accounts.FindAsync(id, ct) is { } account ? TypedResults.Ok(ContractViews.ToAccountView(account)) : TypedResults.NotFound();

    internal static async Task<Ok<List<WalletView>>> WalletsAsync(Guid userId, AccountDirectory accounts, CancellationToken ct) =>
        TypedResults.Ok((await accounts.WalletsOfAsync(userId, ct)).Select(ContractViews.ToWalletView).ToList());

    internal static async Task<Results<Created<TransferView>, Ok<TransferView>, ValidationProblem, StoredResult<TransferView>>> TransferAsync(TransferRequest body, LedgerBatcher ledger)
    {
        var validation = new Validation();
        validation.Id(body.Id, "id");
        validation.Id(body.DebitAccountId, "debitAccountId");
        validation.Id(body.CreditAccountId, "creditAccountId");
        validation.Money(body.Amount, "amount");
        ValidateCodeAndMetadata(validation, body.Code, body.Metadata);
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var result = await ledger.SubmitAsync(new LedgerRequest
        {
            Operation = LedgerOperation.Transfer,
            TransferId = body.Id,
            DebitAccountId = body.DebitAccountId,
            CreditAccountId = body.CreditAccountId,
            Amount = body.Amount!.Amount,
            Currency = body.Amount.Currency,
            Code = body.Code!,
            Metadata = body.Metadata?.GetRawText(),
        });
        return ToResult(result);
    }

    internal static async Task<Results<Created<TransferView>, Ok<TransferView>, ValidationProblem, StoredResult<TransferView>>> HoldAsync(HoldRequest body, LedgerBatcher ledger, TimeProvider time)
    {
        var validation = new Validation();
        validation.Id(body.Id, "id");
        validation.Id(body.DebitAccountId, "debitAccountId");
        validation.Id(body.CreditAccountId, "creditAccountId");
        validation.Money(body.Amount, "amount");
        ValidateCodeAndMetadata(validation, body.Code, body.Metadata);
        validation.Require(body.TimeoutSeconds is > 0 and <= 90 * 24 * 3600, "timeoutSeconds", "Between 1 s and 90 days.");
        validation.Require(body.Reference is null || body.Reference.Length <= 200, "reference", "At most 200 characters.");
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        // The reference travels in the metadata, so the release event can name it too.
        var metadata = body.Metadata is { ValueKind: JsonValueKind.Object } m
            ? JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(m.GetRawText())!
            : [];
        if (body.Reference is not null)
        {
            metadata["reference"] = JsonSerializer.SerializeToElement(body.Reference);
        }

        var result = await ledger.SubmitAsync(new LedgerRequest
        {
            Operation = LedgerOperation.Hold,
            TransferId = body.Id,
            DebitAccountId = body.DebitAccountId,
            CreditAccountId = body.CreditAccountId,
            Amount = body.Amount!.Amount,
            Currency = body.Amount.Currency,
            Code = body.Code!,
            Metadata = metadata.Count > 0 ? JsonSerializer.Serialize(metadata) : null,
            TimeoutAt = time.GetUtcNow().AddSeconds(body.TimeoutSeconds),
            Reference = body.Reference,
        });
        return ToResult(result);
    }

    internal static async Task<Results<Created<TransferView>, Ok<TransferView>, ValidationProblem, StoredResult<TransferView>>> PostHoldAsync(Guid id, PostHoldRequest? body, LedgerBatcher ledger)
    {
        var validation = new Validation();
        if (body?.Amount is { } amount)
        {
            validation.Money(amount, "amount");
        }

        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var result = await ledger.SubmitAsync(new LedgerRequest
        {
            Operation = LedgerOperation.PostHold,
            TransferId = body?.Id ?? Guid.CreateVersion7(),
            HoldId = id,
            PostAmount = body?.Amount?.Amount,
            Currency = body?.Amount?.Currency ?? "",
        });
        return ToResult(result);
    }

    internal static async Task<Results<Created<TransferView>, Ok<TransferView>, ValidationProblem, StoredResult<TransferView>>> VoidHoldAsync(Guid id, LedgerBatcher ledger) =>
        ToResult(await ledger.SubmitAsync(new LedgerRequest { Operation = LedgerOperation.VoidHold, TransferId = id, HoldId = id }), createdStatus: 200);

    private static void ValidateCodeAndMetadata(Validation validation, string? code, JsonElement? metadata)
    {
        validation.Require(code is { } c && Name().IsMatch(c), "code", "Lower-case letters, digits and dashes, e.g. contribution.");
        validation.Require(metadata is null || metadata.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Null, "metadata", "A JSON object.");
        validation.Require(metadata is null || metadata.Value.GetRawText().Length <= 4096, "metadata", "At most 4 KiB.");
    }

    private static Results<Created<TransferView>, Ok<TransferView>, ValidationProblem, StoredResult<TransferView>> ToResult(
        LedgerResult result, int createdStatus = 201) => result.Outcome switch
    {
        LedgerOutcome.Created when createdStatus == 201 => TypedResults.Created($"/internal/transfers/{result.Transfer!.Id}", result.Transfer),
        LedgerOutcome.Created or LedgerOutcome.AlreadyExists => TypedResults.Ok(result.Transfer),
        _ => new StoredResult<TransferView>(ApiResponses.Failure(result)),
    };

    [GeneratedRegex("^[a-z][a-z0-9-]{0,31}$")]
    private static partial Regex Name();
}
