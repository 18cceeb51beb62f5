using System.Text;
using Leadline.Mail.Mime;

namespace Leadline.Tests.Mail.Mime;

/// <summary>Builds raw messages from readable literals: CRLF line endings, as they arrive from a mail server.</summary>
internal static class RawMail
{
    static RawMail()
    {
        // The tests write Windows-1256 and other legacy bytes, as old Arabic and European mailers send them.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    public static Encoding Windows1256 => Encoding.GetEncoding(1256);

    public static Encoding Windows1252 => Encoding.GetEncoding(1252);

    /// <summary>The text with CRLF line endings, UTF-8 encoded.</summary>
    public static byte[] Crlf(string text) => Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n"));

    public static MimeMessage Parse(string text) => MimeMessage.Parse(Crlf(text));

    /// <summary>Base64 folded at 76 characters, as mailers write it.</summary>
    public static string Base64(byte[] bytes)
    {
        string encoded = Convert.ToBase64String(bytes);
        var sb = new StringBuilder();
        for (int i = 0; i < encoded.Length; i += 76)
        {
            sb.Append(encoded, i, Math.Min(76, encoded.Length - i)).Append('\n');
        }
        return sb.ToString();
    }
}
