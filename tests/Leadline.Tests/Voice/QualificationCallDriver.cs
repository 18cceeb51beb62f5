using System.Globalization;
using System.Net;
using System.Xml.Linq;
using Leadline.Intake;
using Leadline.Tests.Delivery;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Voice;

/// <summary>
/// Plays Twilio's part in a call the app placed with the <see cref="FakeTwilio"/>: fetches the call's Url when the lead
/// "picks up", posts what the lead "says" to each <c>&lt;Gather&gt;</c> action, and reports the call's status, each
/// request a signed form post to the public URL, as Twilio sends them.
/// </summary>
public sealed class QualificationCallDriver(LeadlineApp app, string publicBaseUrl)
{
    /// <summary>The lead picks up: Twilio requests the call's Url; returns the TwiML.</summary>
    public Task<XElement> PickUpAsync(TwilioCall call) =>
        TwimlAsync(call.Url!, Fields(call, "in-progress"));

    /// <summary>The lead says <paramref name="speech"/> (nothing when empty) to the question <paramref name="twiml"/> asks.</summary>
    public Task<XElement> SayAsync(TwilioCall call, XElement twiml, string speech, double confidence = 0.92)
    {
        XElement gather = Gather(twiml) ?? throw new InvalidOperationException($"no <Gather> to answer in {twiml}");
        Dictionary<string, string> form = Fields(call, "in-progress");
        if (speech.Length > 0)
        {
            form["SpeechResult"] = speech;
            form["Confidence"] = confidence.ToString("0.00", CultureInfo.InvariantCulture);
        }
        return TwimlAsync(gather.Attribute("action")!.Value, form);
    }

    /// <summary>Twilio reports the call's status to its StatusCallback.</summary>
    public async Task StatusAsync(TwilioCall call, string status, int durationSeconds = 0)
    {
        Dictionary<string, string> form = Fields(call, status);
        form["CallDuration"] = durationSeconds.ToString(CultureInfo.InvariantCulture);
        form["CallbackSource"] = "call-progress-events";
        HttpResponseMessage response = await PostAsync(call.StatusCallback!, form);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"the status callback got {(int)response.StatusCode}: {text}");
        Assert.Equal(TwilioWebhooks.EmptyTwiml, text);
    }

    /// <summary>Posts a form to a public URL of the app, signed with the auth token unless a signature is given.</summary>
    public async Task<HttpResponseMessage> PostAsync(string url, Dictionary<string, string> form, string? signature = null)
    {
        Assert.StartsWith(publicBaseUrl + "/", url);
        var request = new HttpRequestMessage(HttpMethod.Post, url[publicBaseUrl.Length..]) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", signature ?? TwilioSignature.Compute(FakeTwilio.AuthToken, url,
            form.Select(p => new KeyValuePair<string, IReadOnlyList<string>>(p.Key, [p.Value]))));
        return await app.CreateClient().SendAsync(request);
    }

    public static Dictionary<string, string> Fields(TwilioCall call, string status) => new()
    {
        ["AccountSid"] = call.AccountSid,
        ["ApiVersion"] = "2010-04-01",
        ["CallSid"] = call.Sid,
        ["CallStatus"] = status,
        ["Direction"] = "outbound-api",
        ["From"] = call.From,
        ["To"] = call.To,
    };

    public static XElement? Gather(XElement twiml) => twiml.Element("Gather");

    /// <summary>Everything the lead hears from this TwiML, in order.</summary>
    public static string Spoken(XElement twiml) => string.Join(" ", twiml.Descendants("Say").Select(s => s.Value));

    private async Task<XElement> TwimlAsync(string url, Dictionary<string, string> form)
    {
        HttpResponseMessage response = await PostAsync(url, form);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url} answered {(int)response.StatusCode}: {text}");
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        XElement root = XDocument.Parse(text).Root!;
        Assert.Equal("Response", root.Name.LocalName);
        return root;
    }
}
