using System.Security.Cryptography;
using System.Text;

namespace Ahod.Contracts;

/// <summary>
/// Name-based UUIDs (version 5 layout over SHA-256): the same scope and name always give the same id, so a retry,
/// a redelivery or a crash-and-restart asks for the very transfer, hold or notification it asked for the first time.
/// </summary>
public static class NameBasedId
{
    /// <param name="scope">The service that names the thing, e.g. <c>ahod.savings</c>; two services never collide.</param>
    /// <param name="name">What is named, e.g. <c>payout:{communityId}:{cycle}</c>.</param>
    public static Guid Create(string scope, string name)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"{scope}:{name}"), hash);
        Span<byte> bytes = stackalloc byte[16];
        hash[..16].CopyTo(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x50);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }
}
