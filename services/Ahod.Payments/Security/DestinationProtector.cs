using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Ahod.Payments.Security;

/// <summary>
/// AES-256-GCM for payout destinations. The key id is stored beside the ciphertext, so keys rotate by adding
/// a new active id while old ids keep decrypting old rows. The row's transfer id is authenticated data: a
/// ciphertext copied onto another row does not decrypt.
/// </summary>
internal sealed class DestinationProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly Dictionary<string, byte[]> _keys;
    private readonly string _activeKeyId;

    public DestinationProtector(IOptions<PaymentsOptions> options, IHostEnvironment environment, IConfiguration configuration, ILogger<DestinationProtector> logger)
    {
        var settings = options.Value;
        _keys = settings.EncryptionKeys.ToDictionary(k => k.Key, k => DecodeKey(k.Key, k.Value), StringComparer.Ordinal);
        if (_keys.Count == 0 && environment.IsDevelopment())
        {
            // Stable across restarts and replicas (old rows must stay readable), secret per environment: derived
            // from the database credentials the AppHost generated. Never used outside Development.
            var seed = configuration.GetConnectionString("paymentsdb") ?? throw new InvalidOperationException("ConnectionStrings:paymentsdb is missing.");
            _keys["dev-1"] = HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(seed), 32, info: "ahod-payments-destinations"u8.ToArray());
            settings.ActiveKeyId ??= "dev-1";
            logger.LogWarning("Payments:EncryptionKeys is not configured; using a development key derived from the database credentials.");
        }

        _activeKeyId = settings.ActiveKeyId ?? (_keys.Count == 1 ? _keys.Keys.Single() : "");
        if (!_keys.ContainsKey(_activeKeyId))
        {
            throw new InvalidOperationException(
                "Payments:ActiveKeyId must name one of Payments:EncryptionKeys (base64 of 32 random bytes each).");
        }
    }

    public string ActiveKeyId => _activeKeyId;

    public (string KeyId, byte[] Ciphertext) Encrypt(string plaintext, Guid transferId)
    {
        var data = Encoding.UTF8.GetBytes(plaintext);
        var output = new byte[NonceSize + data.Length + TagSize];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_keys[_activeKeyId], TagSize);
        aes.Encrypt(nonce, data, output.AsSpan(NonceSize, data.Length), output.AsSpan(NonceSize + data.Length), transferId.ToByteArray());
        return (_activeKeyId, output);
    }

    public string Decrypt(string keyId, byte[] ciphertext, Guid transferId)
    {
        if (!_keys.TryGetValue(keyId, out var key))
        {
            throw new CryptographicException($"Encryption key '{keyId}' is not configured; keep retired keys in Payments:EncryptionKeys.");
        }

        var length = ciphertext.Length - NonceSize - TagSize;
        var plain = new byte[length];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(ciphertext.AsSpan(0, NonceSize), ciphertext.AsSpan(NonceSize, length), ciphertext.AsSpan(NonceSize + length), plain, transferId.ToByteArray());
        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] DecodeKey(string id, string base64)
    {
        var key = Convert.FromBase64String(base64);
        return key.Length == 32 ? key : throw new InvalidOperationException($"Payments:EncryptionKeys:{id} must be 32 bytes (base64).");
    }
}
