using System.Security.Cryptography;
using System.Text;
using Leadline.Data;

namespace Leadline.Hosting;

/// <summary>
/// The operator token. From ADMIN_BEARER_TOKEN when set; otherwise generated on first start, printed once,
/// and kept (as a SHA-256 hash) in the database so it keeps working across restarts.
/// </summary>
public sealed class AdminToken
{
    private byte[] _hash = [];

    public bool Matches(string presented)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        return _hash.Length > 0 && CryptographicOperations.FixedTimeEquals(hash, _hash);
    }

    /// <summary>Loads or creates the token; returns it in clear only when it was just generated.</summary>
    public async Task<string?> InitialiseAsync(Db db, string? configured, CancellationToken ct)
    {
        if (configured is not null)
        {
            _hash = SHA256.HashData(Encoding.UTF8.GetBytes(configured));
            return null;
        }

        string fresh = "lla_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        string freshHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fresh)));
        string stored = await db.InTransactionAsync(async tx =>
        {
            await tx.ExecuteAsync(
                "INSERT INTO instance_settings (key, value) VALUES ('admin_token_sha256', @freshHash) ON CONFLICT (key) DO NOTHING",
                new { freshHash });
            return await tx.QuerySingleAsync<string>("SELECT value FROM instance_settings WHERE key = 'admin_token_sha256'");
        }, ct);
        _hash = Convert.FromHexString(stored);
        return stored == freshHash ? fresh : null;
    }
}
