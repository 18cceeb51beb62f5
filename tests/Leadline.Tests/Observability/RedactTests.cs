using Leadline.Observability;

namespace Leadline.Tests.Observability;

public class RedactTests
{
    [Fact]
    public void ContactsInProviderErrorsAreMasked()
    {
        string masked = Redact.Contacts("550 5.1.1 <jordan.lee@example.com>: user unknown; sms to +1 (555) 123-4567 failed");
        Assert.DoesNotContain("jordan", masked);
        Assert.DoesNotContain("123-4567", masked);
        Assert.Contains("550 5.1.1", masked);
        Assert.Contains("[email]", masked);
        Assert.Contains("[phone]", masked);
    }
}
