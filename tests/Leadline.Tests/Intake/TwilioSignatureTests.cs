using System.Text;
using System.Text.Json;
using Leadline.Intake;
using Leadline.Tests.Evaluation;

namespace Leadline.Tests.Intake;

/// <summary>
/// The signature check against vectors computed with Twilio's official library (twilio-signature-vectors.json,
/// copied unchanged from the provider specs).
/// </summary>
public sealed class TwilioSignatureTests
{
    private static readonly JsonElement s_vectors = JsonDocument.Parse(File.ReadAllText(
        Path.Combine(EvalRunnerTests.RepoRoot(), "tests", "Leadline.Tests", "Intake", "twilio-signature-vectors.json"))).RootElement;

    private static List<KeyValuePair<string, IReadOnlyList<string>>> Params(JsonElement json) =>
        json.EnumerateObject().Select(p => new KeyValuePair<string, IReadOnlyList<string>>(p.Name,
            p.Value.ValueKind == JsonValueKind.Array ? p.Value.EnumerateArray().Select(v => v.GetString()!).ToList() : [p.Value.GetString()!]))
        .ToList();

    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (JsonElement v in s_vectors.GetProperty("vectors").EnumerateArray())
        {
            names.Add(v.GetProperty("name").GetString()!);
        }
        return names;
    }

    private static JsonElement Vector(string name) =>
        s_vectors.GetProperty("vectors").EnumerateArray().Single(v => v.GetProperty("name").GetString() == name);

    [Theory]
    [MemberData(nameof(Names))]
    public void EachVectorComputesAndValidates(string name)
    {
        JsonElement v = Vector(name);
        string token = v.GetProperty("authToken").GetString()!;
        string url = v.GetProperty("url").GetString()!;
        string expected = v.GetProperty("expectedSignature").GetString()!;
        var parameters = Params(v.GetProperty("params"));

        Assert.Equal(expected, TwilioSignature.Compute(token, url, parameters));
        Assert.True(TwilioSignature.IsValid(token, expected, url, parameters));
    }

    [Fact]
    public void AWrongTokenATamperedParameterOrADroppedQueryFail()
    {
        JsonElement v = Vector("status-callback-array-param-explicit-port");
        string token = v.GetProperty("authToken").GetString()!;
        string url = v.GetProperty("url").GetString()!;
        string signature = v.GetProperty("expectedSignature").GetString()!;
        var parameters = Params(v.GetProperty("params"));

        Assert.False(TwilioSignature.IsValid(token + "x", signature, url, parameters));
        var tampered = parameters.Select(p => p.Key == "CallStatus" ? new KeyValuePair<string, IReadOnlyList<string>>(p.Key, ["failed"]) : p).ToList();
        Assert.False(TwilioSignature.IsValid(token, signature, url, tampered));
        Assert.False(TwilioSignature.IsValid(token, signature, url[..url.IndexOf('?')], parameters));
        Assert.False(TwilioSignature.IsValid(token, null, url, parameters));
        Assert.False(TwilioSignature.IsValid(token, "", url, parameters));
    }

    [Fact]
    public void TheDefaultPortMayBeAddedOrRemovedByAProxy()
    {
        JsonElement v = Vector("voice-webhook-query-string");
        JsonElement port = s_vectors.GetProperty("portVariantOfVector1");
        string token = v.GetProperty("authToken").GetString()!;
        var parameters = Params(v.GetProperty("params"));
        string withPort = port.GetProperty("urlWithDefaultPort").GetString()!;

        Assert.Equal(port.GetProperty("signatureOverUrlWithDefaultPort").GetString(), TwilioSignature.Compute(token, withPort, parameters));
        // Signed without the port, received with it, and the other way round.
        Assert.True(TwilioSignature.IsValid(token, v.GetProperty("expectedSignature").GetString(), withPort, parameters));
        Assert.True(TwilioSignature.IsValid(token, port.GetProperty("signatureOverUrlWithDefaultPort").GetString(),
            v.GetProperty("url").GetString()!, parameters));
    }

    [Fact]
    public void TheCrossChecksFromTheOfficialLibrariesMatchAndTheHostIsCaseSensitive()
    {
        JsonElement c = s_vectors.GetProperty("crossChecks");
        string token = c.GetProperty("authToken").GetString()!;
        var parameters = Params(c.GetProperty("params"));
        foreach (JsonProperty p in c.EnumerateObject().Where(p => p.Name.StartsWith("https://", StringComparison.Ordinal)))
        {
            Assert.Equal(p.Value.GetString(), TwilioSignature.Compute(token, p.Name, parameters));
        }
    }

    [Fact]
    public void AJsonBodyIsCheckedThroughItsHashInTheUrl()
    {
        JsonElement v = s_vectors.GetProperty("extraJsonBodyVector");
        string token = v.GetProperty("authToken").GetString()!;
        string url = v.GetProperty("url").GetString()!;
        string signature = v.GetProperty("expectedSignature").GetString()!;
        byte[] body = Encoding.UTF8.GetBytes(v.GetProperty("body").GetString()!);

        Assert.True(TwilioSignature.IsValidJson(token, signature, url, body));
        Assert.False(TwilioSignature.IsValidJson(token, signature, url, Encoding.UTF8.GetBytes("{\"Body\":\"changed\"}")));
        Assert.False(TwilioSignature.IsValidJson(token, signature, url[..url.IndexOf('?')], body));
    }
}
