namespace Ahod.Identity.Data;

/// <summary>
/// What is left of an erased account: the id only, so it is never reused and other services' references
/// to it stay unambiguous. Row of <c>erased_users</c>.
/// </summary>
public sealed class ErasedUser
{
    public Guid Id { get; set; }

    public DateTimeOffset ErasedAt { get; set; }
}
