using Leadline.Hosting;
using Leadline.Tenants;
using Microsoft.Extensions.Configuration;

namespace Leadline.Tests.Tenants;

/// <summary>Where the key ring that encrypts tenant credentials lives (DATA_PROTECTION_KEYS_DIR), and bad values.</summary>
public class KeyRingTests
{
    private static TenantsOptions Load(params (string Key, string Value)[] values) =>
        TenantsOptions.From(new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build());

    [Fact]
    public void TheKeysLiveNextToTheSqliteFileByDefault()
    {
        string dir = Path.Combine(Path.GetTempPath(), "leadline-tests", Guid.NewGuid().ToString("N"));
        Assert.Equal(Path.Combine(dir, "keys"), Load(("DB_URL", "sqlite:///" + Path.Combine(dir, "leadline.db"))).KeysDirectory);
    }

    [Fact]
    public void WithPostgresTheKeysLiveInTheDataDirectoryByDefault() =>
        Assert.Equal(Path.GetFullPath(Path.Combine("data", "keys")), Load(("DB_URL", "postgresql://leadline@db.example.com/leadline")).KeysDirectory);

    [Fact]
    public void ARelativeKeysDirectoryIsMadeAbsolute() =>
        Assert.Equal(Path.GetFullPath("secrets/keys"), Load(("DATA_PROTECTION_KEYS_DIR", "secrets/keys")).KeysDirectory);

    [Fact]
    public void AFileIsNotAKeysDirectory()
    {
        string file = Path.GetTempFileName();
        try
        {
            var e = Assert.Throws<ConfigException>(() => Load(("DATA_PROTECTION_KEYS_DIR", file)));
            Assert.Equal("DATA_PROTECTION_KEYS_DIR", e.Variable);
            Assert.Contains("is a file", e.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void AKeysDirectoryThatCannotBeCreatedStopsStartUpNamingTheVariable()
    {
        string file = Path.GetTempFileName();
        try
        {
            var e = Assert.Throws<ConfigException>(() => KeyRing.EnsureDirectory(Path.Combine(file, "keys")));
            Assert.Equal("DATA_PROTECTION_KEYS_DIR", e.Variable);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void ANewKeysDirectoryIsReadableByItsOwnerOnly()
    {
        string dir = Path.Combine(Path.GetTempPath(), "leadline-tests", "keys-" + Guid.NewGuid().ToString("N"));
        KeyRing.EnsureDirectory(dir);
        try
        {
            Assert.True(Directory.Exists(dir));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dir));
            }
        }
        finally
        {
            Directory.Delete(dir);
        }
    }
}
