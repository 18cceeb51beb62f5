namespace Leadline.Hosting;

/// <summary>Gives bodiless error statuses from the framework (no route, wrong method, wrong media type) a useful detail.</summary>
internal static class StatusProblems
{
    public static Task WriteAsync(HttpContext context)
    {
        int status = context.Response.StatusCode;
        string path = context.Request.Path;
        (string title, string detail) = status switch
        {
            400 => ("Bad request", "The request could not be read; check that the body is valid JSON with the documented fields (see /docs)."),
            404 => ("Not found", $"There is no endpoint at '{path}'. The API is described at /docs."),
            405 => ("Method not allowed", $"'{context.Request.Method}' is not supported on '{path}'. The API is described at /docs."),
            415 => ("Unsupported media type", $"Send the body as JSON with 'Content-Type: application/json' (got '{context.Request.ContentType ?? "none"}')."),
            _ => ("Error", $"The request failed with status {status}."),
        };
        return Problems.WriteAsync(context, status, title, detail);
    }
}
