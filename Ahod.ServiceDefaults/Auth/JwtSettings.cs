namespace Ahod.ServiceDefaults;

/// <summary>The "Jwt" configuration section; the defaults match what Identity issues.</summary>
public sealed class JwtSettings
{
    public const string SectionName = "Jwt";

    public string Issuer { get; set; } = "ahod-identity";

    public string Audience { get; set; } = "ahod";

    /// <summary>Resolved through service discovery, so the logical name works wherever the AppHost runs Identity.</summary>
    public string JwksUrl { get; set; } = "http://identity/.well-known/jwks.json";

    /// <summary>Asymmetric only: a service that can verify must never be able to mint, which rules out HS*; "none" is never valid.</summary>
    public static readonly IReadOnlyList<string> AllowedAlgorithms =
    [
        "RS256", "RS384", "RS512",
        "PS256", "PS384", "PS512",
        "ES256", "ES384", "ES512",
    ];
}
