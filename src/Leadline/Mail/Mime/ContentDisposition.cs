namespace Leadline.Mail.Mime;

/// <summary>
/// A Content-Disposition header: "attachment; filename=offer.pdf" has <see cref="Disposition"/> "attachment"
/// and the parameter filename, decoded like <see cref="ContentType"/>'s parameters.
/// </summary>
public sealed record ContentDisposition(string Disposition, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsAttachment => Disposition == "attachment";

    public bool IsInline => Disposition == "inline";

    public string? FileName => Parameters.GetValueOrDefault("filename");

    /// <summary>Parses a Content-Disposition value; null when the header is absent or empty.</summary>
    public static ContentDisposition? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        string main = HeaderParameters.Parse(value, out Dictionary<string, string> parameters);
        return new ContentDisposition(main, parameters);
    }
}
