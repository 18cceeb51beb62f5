using Leadline.Mail;

namespace Leadline.Tests.Mail;

public sealed class HtmlTextTests
{
    [Fact]
    public void ScriptsStylesHeadAndCommentsAreDropped()
    {
        string html = """
            <!DOCTYPE html><html><head><title>Ignored</title><style>.a{color:red}</style></head>
            <body><script>var x = "<p>not text</p>";</script><!--[if mso]><p>outlook only</p><![endif]-->
            <p>Visible</p></body></html>
            """;

        Assert.Equal("Visible", HtmlText.ToText(html));
    }

    [Fact]
    public void BlocksBreaksAndListsBecomeLines()
    {
        string html = "<div>Hi team,</div><div><br></div><div>We need:</div><ul><li>a quote</li><li>a date</li></ul>"
            + "<p>Line one<br>Line two</p><h2>Title</h2>Tail";

        Assert.Equal("Hi team,\n\nWe need:\n- a quote\n- a date\n\nLine one\nLine two\n\nTitle\n\nTail", HtmlText.ToText(html));
    }

    [Fact]
    public void EntitiesAreDecodedAndWhitespaceCollapsed()
    {
        string html = "<p>  Fish &amp;\n   chips &lt;3 &#169; &#x263A; &eacute;&nbsp;&nbsp;ok  </p>";

        Assert.Equal("Fish & chips <3 © ☺ é ok", HtmlText.ToText(html));
    }

    [Fact]
    public void LabelValueTableRowsReadAsLabelColonValue()
    {
        string html = """
            <table>
              <tr><th>Name</th><td>Jordan Lee</td></tr>
              <tr><td><b>Email:</b></td><td><a href="mailto:jordan@example.com">jordan@example.com</a></td></tr>
              <tr><td>Message</td><td>Hello<br>second line</td></tr>
            </table>
            """;

        Assert.Equal("Name: Jordan Lee\nEmail: jordan@example.com\nMessage: Hello\nsecond line", HtmlText.ToText(html));
    }

    [Fact]
    public void WiderRowsJoinTheirCells()
    {
        string html = "<table><tr><td>Item</td><td>Qty</td><td>Price</td></tr><tr><td>Tiles<td>40<td>$5</table>";

        Assert.Equal("Item | Qty | Price\nTiles | 40 | $5", HtmlText.ToText(html));
    }

    [Fact]
    public void NestedLayoutTablesKeepTheirTextInOrder()
    {
        string html = "<table><tr><td><img src=logo.png></td></tr><tr><td>"
            + "<table><tr><td>Name</td><td>Sam</td></tr></table><p>Thanks for your request.</p></td></tr></table>";

        Assert.Equal("Name: Sam\n\nThanks for your request.", HtmlText.ToText(html));
    }

    [Fact]
    public void AttributesWithAngleBracketsAndStrayLessThanSignsAreHandled()
    {
        string html = "<a title=\"a > b\" href='x'>link</a> and 3 < 4 and <unknown-tag>x</unknown-tag>";

        Assert.Equal("link and 3 < 4 and x", HtmlText.ToText(html));
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("", "")]
    [InlineData("<p></p><div> </div>", "")]
    [InlineData("<b>unclosed", "unclosed")]
    [InlineData("text <!-- unterminated comment", "text")]
    [InlineData("<script>never closed", "")]
    [InlineData("<head><title>t</title><body>body without closing head", "body without closing head")]
    public void EdgeCases(string? html, string text) => Assert.Equal(text, HtmlText.ToText(html));

    [Fact]
    public void DeeplyNestedTablesStillGiveTheirText()
    {
        string html = string.Concat(Enumerable.Repeat("<table><tr><td>", 5000)) + "inner" + string.Concat(Enumerable.Repeat("</td></tr></table>", 5000));

        Assert.Equal("inner", HtmlText.ToText(html));
    }

    [Fact]
    public void LargeInputIsLinear()
    {
        string html = string.Concat(Enumerable.Repeat("<div><span>word</span> < </div>", 50_000));

        string text = HtmlText.ToText(html);

        Assert.StartsWith("word <\nword <", text);
    }
}
