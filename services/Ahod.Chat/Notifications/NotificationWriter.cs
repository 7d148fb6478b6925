using System.Text.Json;
using Ahod.Chat.Conversations;
using Ahod.Chat.Data;
using Ahod.Chat.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Ahod.Chat.Notifications;

public sealed record NotificationResponse(Guid Id, string Type, string Title, string Body, JsonElement Data, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt)
{
    internal static NotificationResponse From(Notification n) =>
        new(n.Id, n.Type, n.Title, n.Body, JsonDocument.Parse(n.Data).RootElement.Clone(), n.CreatedAt, n.ReadAt);
}

public static class NotificationTypes
{
    public const string ListingRequest = "listing.request";
    public const string RequestUpdated = "listing.request-updated";
    public const string MoneyReceived = "payment.received";
    public const string HoldReleased = "payment.hold-released";
    public const string ContributionDue = "community.contribution-due";
    public const string Payout = "community.payout";
    public const string MemberJoined = "community.member-joined";
    public const string NewMessage = "chat.message";
}

/// <summary>
/// Adds a notification in the handler's transaction (with the inbox record) and pushes it live once that commits.
/// The (event, user) pair is unique as well, so even a bug that ran a handler twice could not notify twice.
/// </summary>
public sealed class NotificationWriter(ChatDbContext db, IHubContext<ChatHub> hub, TimeProvider clock)
{
    public void Add(Guid userId, Guid sourceEventId, string type, string title, string body, object data)
    {
        var notification = New(userId, sourceEventId, type, title, body, data, clock.GetUtcNow());
        db.Notifications.Add(notification);
        db.AfterCommit.Add(() => PushAsync(hub, notification));
    }

    public static Notification New(Guid userId, Guid sourceEventId, string type, string title, string body, object data, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(), UserId = userId, SourceEventId = sourceEventId, Type = type, Title = title, Body = body,
        Data = JsonSerializer.Serialize(data, JsonSerializerOptions.Web), CreatedAt = now,
    };

    /// <summary>The live copy, for the user's open connections (on any replica); the stored one waits in the inbox.</summary>
    public static Task PushAsync(IHubContext<ChatHub> hub, Notification notification) =>
        hub.Clients.User(notification.UserId.ToString()).SendAsync(HubEvents.Notification, NotificationResponse.From(notification));
}
