namespace Ahod.Messaging.Contracts;

/// <summary>Someone asked to buy, rent, apply for or hire a listing.</summary>
/// <param name="Kind"><c>buy</c>, <c>rent</c>, <c>apply</c> or <c>hire</c>.</param>
[IntegrationEvent("listing.request-created")]
public sealed record ListingRequestCreated(
    Guid RequestId,
    Guid ListingId,
    string ListingTitle,
    Guid OwnerUserId,
    Guid RequesterUserId,
    string Kind)
    : IntegrationEvent;

/// <param name="Status"><c>seen</c>, <c>accepted</c>, <c>declined</c>, <c>cancelled</c> or <c>completed</c>.</param>
/// <param name="Reason">Why it was declined or cancelled, when given.</param>
[IntegrationEvent("listing.request-updated")]
public sealed record ListingRequestUpdated(
    Guid RequestId,
    Guid ListingId,
    Guid OwnerUserId,
    Guid RequesterUserId,
    string Status,
    string? Reason)
    : IntegrationEvent;
