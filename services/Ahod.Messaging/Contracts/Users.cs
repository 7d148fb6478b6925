namespace Ahod.Messaging.Contracts;

[IntegrationEvent("user.registered")]
public sealed record UserRegistered(Guid UserId, string Email, string UserName, string FirstName, string LastName)
    : IntegrationEvent;

/// <summary>Carries the whole public profile so consumers can overwrite their copy without a call back.</summary>
[IntegrationEvent("user.updated")]
public sealed record UserUpdated(
    Guid UserId, string Email, string UserName, string FirstName, string LastName, string? PhotoUrl)
    : IntegrationEvent;

/// <summary>GDPR erasure: every service removes or anonymizes what it holds about the user.</summary>
[IntegrationEvent("user.erased")]
public sealed record UserErased(Guid UserId) : IntegrationEvent;
