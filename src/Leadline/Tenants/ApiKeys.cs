using System.Security.Cryptography;
using System.Text;

namespace Leadline.Tenants;

/// <summary>API keys are random, shown once, and stored only as their SHA-256 hash.</summary>
public static class ApiKeys
{
    public static string New() => "ll_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The first characters, safe to show so a person can tell keys apart.</summary>
    public static string Prefix(string key) => key[..Math.Min(key.Length, 10)];

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
