using Ahod.Chat.Data;
using Ahod.Messaging.Consumers;
using Ahod.Messaging.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Chat.Events;

/// <summary>Keeps the names conversation titles show; no call to Identity per list.</summary>
public sealed class UserProfileHandler(ChatDbContext db) : IIntegrationEventHandler<UserRegistered>, IIntegrationEventHandler<UserUpdated>
{
    public Task HandleAsync(UserRegistered e, CancellationToken ct) => UpsertAsync(e.UserId, e.UserName, e.FirstName, e.LastName, ct);

    public Task HandleAsync(UserUpdated e, CancellationToken ct) => UpsertAsync(e.UserId, e.UserName, e.FirstName, e.LastName, ct);

    private async Task UpsertAsync(Guid id, string userName, string firstName, string lastName, CancellationToken ct)
    {
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            db.Users.Add(user = new ChatUser { Id = id });
        }

        if (user.Erased)
        {
            return;
        }

        user.UserName = userName;
        user.FirstName = firstName;
        user.LastName = lastName;
    }
}

/// <summary>
/// GDPR erasure: the text of my messages goes, the messages keep their place (seq stays gap-free) and I show as
/// "deleted user" (I stay a participant, so the others still see with whom they talked); my notifications go.
/// </summary>
public sealed class UserErasedHandler(ChatDbContext db) : IIntegrationEventHandler<UserErased>
{
    public const string ErasedText = "";

    public async Task HandleAsync(UserErased e, CancellationToken ct)
    {
        await db.Messages.Where(m => m.SenderId == e.UserId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Text, ErasedText).SetProperty(m => m.Erased, true), ct);
        await db.Notifications.Where(n => n.UserId == e.UserId).ExecuteDeleteAsync(ct);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == e.UserId, ct);
        if (user is null)
        {
            db.Users.Add(user = new ChatUser { Id = e.UserId });
        }

        user.Erased = true;
        user.UserName = "";
        user.FirstName = "";
        user.LastName = "";
    }
}
