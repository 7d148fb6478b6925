using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Ahod.Identity.Tokens;

/// <summary>
/// The ES256 (ECDSA P-256) keys: the first signs, all are published in the JWKS so tokens signed by a
/// key being rotated out stay valid until they expire. Keys come from <c>Jwt:SigningKeys</c> (PEM, newest
/// first) or, in development, from the <c>*.pem</c> files of <c>Jwt:KeyDirectory</c> (generated on first
/// start; the newest file signs).
/// </summary>
public sealed class SigningKeyStore
{
    public const string Algorithm = SecurityAlgorithms.EcdsaSha256;

    private SigningKeyStore(IReadOnlyList<ECDsaSecurityKey> keys)
    {
        Keys = keys;
        SigningCredentials = new SigningCredentials(keys[0], Algorithm);
        PublicKeys = keys.Select(k =>
        {
            var publicOnly = ECDsa.Create(k.ECDsa.ExportParameters(includePrivateParameters: false));
            return new ECDsaSecurityKey(publicOnly) { KeyId = k.KeyId };
        }).ToArray();
    }

    public IReadOnlyList<ECDsaSecurityKey> Keys { get; }

    /// <summary>The same keys without their private halves: what the JWKS shows and what validation uses.</summary>
    public IReadOnlyList<ECDsaSecurityKey> PublicKeys { get; }

    public SigningCredentials SigningCredentials { get; }

    public static SigningKeyStore Load(IConfiguration configuration, IHostEnvironment environment)
    {
        var pems = configuration.GetSection("Jwt:SigningKeys").Get<string[]>() ?? [];
        if (pems.Length > 0)
        {
            return new SigningKeyStore(pems.Select(FromPem).ToArray());
        }

        var directory = configuration["Jwt:KeyDirectory"];
        if (string.IsNullOrWhiteSpace(directory))
        {
            throw new InvalidOperationException(
                "No JWT signing keys: set Jwt:SigningKeys (PEM-encoded EC P-256 private keys, newest first) " +
                "or, in development, Jwt:KeyDirectory (the AppHost passes .ahod/keys).");
        }

        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException(
                "Jwt:KeyDirectory generates keys on disk and is for development only; set Jwt:SigningKeys in other environments.");
        }

        return new SigningKeyStore(LoadOrCreateDirectory(directory));
    }

    private static List<ECDsaSecurityKey> LoadOrCreateDirectory(string directory)
    {
        Directory.CreateDirectory(directory);
        if (Directory.GetFiles(directory, "*.pem").Length == 0)
        {
            using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var temp = Path.Combine(directory, $".{Guid.NewGuid():N}.tmp");
            File.WriteAllText(temp, ecdsa.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            try
            {
                // Replicas starting together race here; the move is atomic and the loser just reads the winner's key.
                File.Move(temp, Path.Combine(directory, $"signing-{DateTime.UtcNow:yyyyMMddHHmmss}.pem"), overwrite: false);
            }
            catch (IOException)
            {
                File.Delete(temp);
            }
        }

        // Newest first: a rotation drops a later-named file next to the old one.
        return Directory.GetFiles(directory, "*.pem")
            .OrderByDescending(Path.GetFileName, StringComparer.Ordinal)
            .Select(path => FromPem(File.ReadAllText(path)))
            .ToList();
    }

    private static ECDsaSecurityKey FromPem(string pem)
    {
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(pem);
        if (ecdsa.KeySize != 256)
        {
            throw new InvalidOperationException($"JWT signing keys must be EC P-256 for ES256; got a {ecdsa.KeySize}-bit key.");
        }

        var key = new ECDsaSecurityKey(ecdsa);
        // RFC 7638 thumbprint: stable across restarts and the same wherever the key is loaded.
        key.KeyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(key).ComputeJwkThumbprint());
        return key;
    }
}
