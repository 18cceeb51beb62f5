using System.Text;
using Leadline.Mail;
using MimeKit;

namespace Leadline.Tests.Mail;

/// <summary>Builds raw messages from readable literals: CRLF line endings, as they arrive from a mail server.</summary>
internal static class RawMail
{
    static RawMail()
    {
        // The tests write Windows-1256 and other legacy bytes, as old Arabic and European mailers send them.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    public static Encoding Windows1256 => Encoding.GetEncoding(1256);

    /// <summary>The text with CRLF line endings, UTF-8 encoded.</summary>
    public static byte[] Crlf(string text) => Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n"));

    /// <summary>The message as the intake reads it.</summary>
    public static MimeMessage Parse(string text) => MailContent.Load(Crlf(text)) ?? throw new FormatException("not a message");

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
