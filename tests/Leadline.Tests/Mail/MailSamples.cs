using System.Text;

namespace Leadline.Tests.Mail;

/// <summary>Real RFC 5322 messages of the kinds leads and machines send, CRLF line endings, for the mail intake tests.</summary>
internal static class MailSamples
{
    public const string Date = "Date: Sat, 21 Nov 2026 10:00:00 +0000";

    /// <summary>A fresh Message-ID (in angle brackets) that is not one of ours.</summary>
    public static string NewId() => $"<{Guid.NewGuid():N}.lead@mail.example>";

    public static byte[] Crlf(string text) => Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\r\n"));

    public static byte[] Plain(string from, string subject, string body, string? messageId = null, string headers = "") => Crlf($"""
        From: {from}
        To: leads@acme.test
        Subject: {subject}
        {Date}
        Message-ID: {messageId ?? NewId()}
        {headers}MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: 8bit

        {body}

        """);

    public static byte[] HtmlOnly(string from, string subject, string html) => Crlf($"""
        From: {from}
        To: leads@acme.test
        Subject: {subject}
        {Date}
        Message-ID: {NewId()}
        MIME-Version: 1.0
        Content-Type: text/html; charset=utf-8

        {html}

        """);

    public static byte[] Alternative(string from, string subject, string text, string html) => Crlf($"""
        From: {from}
        To: leads@acme.test
        Subject: {subject}
        {Date}
        Message-ID: {NewId()}
        MIME-Version: 1.0
        Content-Type: multipart/alternative; boundary="b1"

        --b1
        Content-Type: text/plain; charset=utf-8

        {text}
        --b1
        Content-Type: text/html; charset=utf-8

        {html}
        --b1--

        """);

    /// <summary>"Hi, we’d like a quote for a new café roof, around $5,000." in quoted-printable, with a soft line break.</summary>
    public static byte[] QuotedPrintable(string from) => Crlf($"""
        From: {from}
        To: leads@acme.test
        Subject: Quote for a roof
        {Date}
        Message-ID: {NewId()}
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: quoted-printable

        Hi, we=E2=80=99d like a quote for a new caf=C3=A9 roof, =
        around $5,000.

        """);

    public const string ArabicText = "مرحبا، أريد عرض سعر لتنظيف المكيفات في الرياض";

    /// <summary>An Arabic mail: name and subject as encoded words, the body in base64.</summary>
    public static byte[] ArabicBase64(string address) => Crlf($"""
        From: =?UTF-8?B?{B64("أحمد علي")}?= <{address}>
        To: leads@acme.test
        Subject: =?UTF-8?B?{B64("طلب عرض سعر")}?=
        {Date}
        Message-ID: {NewId()}
        MIME-Version: 1.0
        Content-Type: text/plain; charset=UTF-8
        Content-Transfer-Encoding: base64

        {Wrapped(B64(ArabicText))}

        """);

    /// <summary>An Unbounce-style notification: from the form service, the lead's details in the body.</summary>
    public static byte[] Form(string service, string email, string phone, string messageId) => Crlf($"""
        From: Unbounce <{service}>
        To: leads@acme.test
        Subject: New form submission on Roof Landing Page
        {Date}
        Message-ID: {messageId}
        MIME-Version: 1.0
        Content-Type: text/plain; charset=utf-8

        You have a new lead from Roof Landing Page:

        First Name: Dana
        Last Name: Whitfield
        Email: {email}
        Phone: {phone}
        Service: Roof repair
        Message: Our roof leaks over the kitchen, can someone come this week?

        Page URL: https://acme.test/roof
        IP Address: 203.0.113.7

        """);

    public static byte[] AutoReply(string from) => Plain(from, "Automatic reply: Your inquiry", "I am out of the office until Monday.",
        headers: "Auto-Submitted: auto-replied\r\nX-Autoreply: yes\r\n");

    public static byte[] Bounce(string domain) => Crlf($"""
        From: Mail Delivery System <MAILER-DAEMON@{domain}>
        To: leads@acme.test
        Subject: Undelivered Mail Returned to Sender
        {Date}
        Message-ID: {NewId()}
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="r1"

        --r1
        Content-Type: text/plain; charset=us-ascii

        I'm sorry to have to inform you that your message could not be delivered.
        --r1
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.{domain}
        --r1--

        """);

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static string Wrapped(string base64)
    {
        var lines = new StringBuilder();
        for (int i = 0; i < base64.Length; i += 76)
        {
            lines.Append(base64.AsSpan(i, Math.Min(76, base64.Length - i))).Append('\n');
        }
        return lines.ToString().TrimEnd('\n');
    }
}
