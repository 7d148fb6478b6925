using Ahod.Marketplace.Data;

namespace Ahod.Marketplace.Requests;

public sealed record CreateRequestBody(string? Message, DateOnly? StartDate, DateOnly? EndDate, Money? OfferedPrice);

public sealed record UpdateRequestBody(string? Status, string? Reason);

public sealed record PaymentResponse(Guid TransferId, string Status);

public sealed record RequestResponse(
    Guid Id, Guid ListingId, Guid RequesterId, Guid OwnerId, string Kind, string Status, string Message, DateOnly? StartDate,
    DateOnly? EndDate, Money Price, string? Reason, PaymentResponse? Payment, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static RequestResponse From(ListingRequest r) => new(
        r.Id, r.ListingId, r.RequesterId, r.OwnerId, r.Kind, r.Status, r.Message, r.StartDate, r.EndDate, new Money(r.PriceAmount, r.Currency),
        r.Reason, r.HoldId is { } hold ? new PaymentResponse(hold, r.PaymentStatus ?? "pending") : null, r.CreatedAt, r.UpdatedAt);
}

/// <summary>Who may move a request where. Anything not listed here is an invalid transition (409).</summary>
public static class RequestStateMachine
{
    public enum Actor
    {
        Owner,
        Requester,
        Either,
    }

    private static readonly Dictionary<(string From, string To), Actor> Transitions = new()
    {
        [(RequestStatuses.New, RequestStatuses.Seen)] = Actor.Owner,
        [(RequestStatuses.New, RequestStatuses.Accepted)] = Actor.Owner,
        [(RequestStatuses.New, RequestStatuses.Declined)] = Actor.Owner,
        [(RequestStatuses.New, RequestStatuses.Cancelled)] = Actor.Requester,
        [(RequestStatuses.Seen, RequestStatuses.Accepted)] = Actor.Owner,
        [(RequestStatuses.Seen, RequestStatuses.Declined)] = Actor.Owner,
        [(RequestStatuses.Seen, RequestStatuses.Cancelled)] = Actor.Requester,
        [(RequestStatuses.Accepted, RequestStatuses.Declined)] = Actor.Owner,
        [(RequestStatuses.Accepted, RequestStatuses.Cancelled)] = Actor.Requester,
        [(RequestStatuses.Paid, RequestStatuses.Completed)] = Actor.Either,
        [(RequestStatuses.Paid, RequestStatuses.Declined)] = Actor.Owner,
        [(RequestStatuses.Paid, RequestStatuses.Cancelled)] = Actor.Requester,
    };

    /// <summary>The statuses a client may ask for in PATCH (paid comes from the payment endpoint).</summary>
    public static readonly string[] Targets = [RequestStatuses.Seen, RequestStatuses.Accepted, RequestStatuses.Declined, RequestStatuses.Cancelled, RequestStatuses.Completed];

    /// <summary>Null when the move from <paramref name="from"/> to <paramref name="to"/> does not exist.</summary>
    public static Actor? Who(string from, string to) => Transitions.TryGetValue((from, to), out var actor) ? actor : null;

    /// <summary>buy, rent, apply or hire, by the listing's kind.</summary>
    public static string KindFor(string listingKind) => listingKind switch
    {
        "sale" => "buy",
        "rent" => "rent",
        "job" => "apply",
        _ => "hire",
    };

    /// <summary>Who pays: the requester, except for a job, where the owner (the employer) pays the applicant.</summary>
    public static bool OwnerPays(ListingRequest request) => request.Kind == "apply";
}
