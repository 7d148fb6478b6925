namespace Ahod.Identity;

/// <summary>The roles a user can hold; they travel in the access token's <c>roles</c> claim.</summary>
public static class Roles
{
    public const string Member = "member";
    public const string Provider = "provider";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Member, Provider, Admin];
}
