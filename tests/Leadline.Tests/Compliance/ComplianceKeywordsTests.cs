using Leadline.Compliance;
using Leadline.Hosting;
using Leadline.Intake;
using Microsoft.AspNetCore.Http;

namespace Leadline.Tests.Compliance;

public sealed class ComplianceKeywordsTests
{
    [Theory]
    [InlineData("STOP")]
    [InlineData("stop")]
    [InlineData(" Stop. ")]
    [InlineData("STOPALL")]
    [InlineData("Unsubscribe")]
    [InlineData("CANCEL")]
    [InlineData("end")]
    [InlineData("QUIT")]
    [InlineData("revoke")]
    [InlineData("OPTOUT")]
    [InlineData("opt out")]
    [InlineData("Please stop texting me")]
    [InlineData("remove me from your list!!")]
    [InlineData("Take me off your list please")]
    [InlineData("Don\u2019t text me again")]
    [InlineData("do not contact me")]
    [InlineData("إلغاء")]
    [InlineData("الغاء")]
    [InlineData("توقف")]
    [InlineData("توقفوا عن مراسلتي")]
    [InlineData("لا ترسلوا لي رسائل")]
    [InlineData("إلغاء الاشتراك")]
    public void OptOuts(string message) => Assert.Equal(ComplianceRequest.OptOut, ComplianceKeywords.Classify(message));

    [Theory]
    [InlineData("START")]
    [InlineData("unstop")]
    [InlineData("Start!")]
    [InlineData("ابدأ")]
    public void OptIns(string message) => Assert.Equal(ComplianceRequest.OptIn, ComplianceKeywords.Classify(message));

    [Theory]
    [InlineData("HELP")]
    [InlineData("help?")]
    [InlineData("مساعدة")]
    public void Help(string message) => Assert.Equal(ComplianceRequest.Help, ComplianceKeywords.Classify(message));

    [Theory]
    [InlineData("I need to cancel my appointment on Tuesday")]
    [InlineData("Can you help me with a leak?")]
    [InlineData("When do you stop taking bookings for the weekend?")]
    [InlineData("Please don't remove me, I still want the quote")]
    [InlineData("Let's start the renovation next month")]
    [InlineData("The leak won't stop")]
    [InlineData("أريد إلغاء الموعد يوم الثلاثاء")]
    [InlineData("")]
    [InlineData("   ")]
    public void OrdinaryMessagesAreNotRequests(string message) => Assert.Equal(ComplianceRequest.None, ComplianceKeywords.Classify(message));
}

public sealed class TwilioPublicUrlTests
{
    private static HttpRequest Request(string path, string query, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = "http";
        context.Request.Host = new HostString("10.0.0.5:8000");
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        foreach (var (name, value) in headers)
        {
            context.Request.Headers[name] = value;
        }
        return context.Request;
    }

    [Fact]
    public void PublicBaseUrlWinsAndKeepsThePathAndQuery()
    {
        Assert.Equal("https://leads.example.com/webhooks/sms/inbound?tenant=acme",
            TwilioWebhooks.PublicUrl(Request("/webhooks/sms/inbound", "?tenant=acme"), new Uri("https://leads.example.com/")));
    }

    [Fact]
    public void BehindAProxyTheForwardedSchemeAndHostAreUsed()
    {
        HttpRequest request = Request("/webhooks/sms/inbound", "", ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "sms.example.org, 10.0.0.1"));
        Assert.Equal("https://sms.example.org/webhooks/sms/inbound", TwilioWebhooks.PublicUrl(request, null));
        Assert.Equal("http://10.0.0.5:8000/webhooks/sms/inbound", TwilioWebhooks.PublicUrl(Request("/webhooks/sms/inbound", ""), null));
    }
}
