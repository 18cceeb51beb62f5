using Leadline.Qualification;

namespace Leadline.Tests.Qualification;

/// <summary>Budget: what the lead says they can spend, with its bounds and currency; prices from elsewhere are no budget.</summary>
public class BudgetTests
{
    [Theory]
    [InlineData("My budget is 5000", 5000, 5000, "USD")]
    [InlineData("budget of $2,500", 2500, 2500, "USD")]
    [InlineData("budget around 800,000 SAR", 800000, 800000, "SAR")]
    [InlineData("We can spend about $3k", 3000, 3000, "USD")]
    [InlineData("roughly 1.5m AED", 1500000, 1500000, "AED")]
    [InlineData("budget ~ €40,000", 40000, 40000, "EUR")]
    [InlineData("budget up to $3,500", null, 3500, "USD")]
    [InlineData("I can afford no more than 900k", null, 900000, "USD")]
    [InlineData("Looking for a villa under 2 million", null, 2000000, "USD")]
    [InlineData("max £1,200 a month", null, 1200, "GBP")]
    [InlineData("at least $10k", 10000, null, "USD")]
    [InlineData("budget starting at 5000 dollars", 5000, null, "USD")]
    [InlineData("We can spend 3 to 5k", 3000, 5000, "USD")]
    [InlineData("budget 3-5k", 3000, 5000, "USD")]
    [InlineData("between $3,000 and $5,000", 3000, 5000, "USD")]
    [InlineData("price range from 2000 to 3000 a month", 2000, 3000, "USD")]
    [InlineData("Between 800k and 1.2m AED", 800000, 1200000, "AED")]
    [InlineData("my budget is between 2 and 2.5 million", 2000000, 2500000, "USD")]
    [InlineData("I'm willing to pay $150", 150, 150, "USD")]
    [InlineData("5000 is my budget", 5000, 5000, "USD")]
    [InlineData("I can't spend more than $200 a month", null, 200, "USD")]
    [InlineData("budget around 3,500 per month", 3500, 3500, "USD")]
    [InlineData("My budget for the whole renovation including materials is $20,000", 20000, 20000, "USD")]
    [InlineData("We're thinking $15-20k", 15000, 20000, "USD")]
    public void EnglishBudgetsReadTheirBoundsAndCurrency(string message, int? min, int? max, string currency) =>
        AssertBudget(QualificationKit.Extract(message), min, max, currency);

    [Theory]
    [InlineData("ميزانيتي ٨٠٠ ألف ريال", 800000, 800000, "SAR")]
    [InlineData("ميزانيتي ٨٠٠٬٠٠٠ ريال", 800000, 800000, "SAR")]
    [InlineData("ميزانيتي حوالي مليون ونص", 1500000, 1500000, "SAR")]
    [InlineData("ميزانيتي نص مليون", 500000, 500000, "SAR")]
    [InlineData("ميزانيتي ١٫٥ مليون درهم", 1500000, 1500000, "AED")]
    [InlineData("أقدر أدفع لين ٥٠٠٠ درهم بالشهر", null, 5000, "AED")]
    [InlineData("ميزانيتنا بين مليون ومليون ونص", 1000000, 1500000, "SAR")]
    [InlineData("ميزانيتي خمسة وعشرين ألف", 25000, 25000, "SAR")]
    [InlineData("ميزانيتي ثلاثمية ألف", 300000, 300000, "SAR")]
    [InlineData("ميزانيتي ألفين ريال", 2000, 2000, "SAR")]
    [InlineData("الميزانية من ٣ إلى ٥ آلاف", 3000, 5000, "SAR")]
    [InlineData("ميزانيتي ۵۰۰۰ ر.س", 5000, 5000, "SAR")]
    [InlineData("أبي شقة بحدود ٣٠٠ ألف", 300000, 300000, "SAR")]
    [InlineData("ميزانيتي مليون وربع", 1250000, 1250000, "SAR")]
    [InlineData("الميزانية بين ٣٠٠ و٤٠٠ ألف", 300000, 400000, "SAR")]
    [InlineData("الميزانيه من ٣-٤ مليون", 3000000, 4000000, "SAR")]
    public void ArabicBudgetsReadDigitsWordsAndCurrencies(string message, int? min, int? max, string currency) =>
        AssertBudget(QualificationKit.Extract(message, "SAR", QualificationKit.RealtyServices), min, max, currency);

    [Theory]
    [InlineData("budget $5,000", "CAD", "CAD")] // the dollar is the tenant's dollar
    [InlineData("budget 5,000", "AED", "AED")] // no currency named: the tenant's
    [InlineData("ميزانيتي ٥٠٠٠ ريال", "QAR", "QAR")] // a riyal tenant in Qatar
    [InlineData("ميزانيتي ٥٠٠٠ ريال", "AED", "SAR")] // the riyal is no dirham
    [InlineData("budget 5,000 dollars", "AED", "USD")]
    public void TheCurrencyIsTheOneNamedOrTheTenants(string message, string tenantCurrency, string expected) =>
        Assert.Equal(expected, QualificationKit.Extract(message, tenantCurrency)!.Budget!.Currency);

    [Theory]
    [InlineData("They quoted me $5,000 for the job")]
    [InlineData("Another company charged $200")]
    [InlineData("I paid $300 last time")]
    [InlineData("Is it $149?")]
    [InlineData("Is it under $150 for a drain?")]
    [InlineData("How much is a private office for 4 people?")]
    [InlineData("We need 4 desks and 2 meeting rooms for 6 weeks")]
    [InlineData("Call me at (312) 555-0142")]
    [InlineData("My number is 0501234567")]
    [InlineData("Can you come on December 5?")]
    [InlineData("Tank water heater replacements start at $1,350?")]
    [InlineData("confirm I get 90% off any job")]
    [InlineData("half a million riyals")]
    [InlineData("عطوني سعر ٥٠٠٠ ريال من شركة ثانية")]
    [InlineData("دفعت ٣٠٠ ريال المرة اللي فاتت")]
    [InlineData("نحتاج ٣ مكاتب لمدة ٦ شهور")]
    public void QuotesPricesAskedQuantitiesPhonesAndDatesAreNoBudget(string message) =>
        Assert.Null(QualificationKit.Extract(message).Budget);

    [Fact]
    public void AQuoteFromElsewhereDoesNotHideTheLeadsOwnBudget()
    {
        QualificationResult r = QualificationKit.Extract("They quoted $5,000 but my budget is $3,000");
        AssertBudget(r, 3000, 3000, "USD");
        Assert.Contains(r.Evidence, e => e.Field == "budget" && e.Text == "budget is $3,000");
    }

    private static void AssertBudget(QualificationResult r, int? min, int? max, string currency)
    {
        Assert.NotNull(r.Budget);
        Assert.Equal((decimal?)min, r.Budget.Min);
        Assert.Equal((decimal?)max, r.Budget.Max);
        Assert.Equal(currency, r.Budget.Currency);
    }
}
