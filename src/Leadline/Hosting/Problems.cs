using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Leadline.Hosting;

/// <summary>RFC 9457 problem responses with a detail a person can act on.</summary>
public static class Problems
{
    public static ProblemHttpResult Status(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    public static ProblemHttpResult NotFound(string what) =>
        Status(StatusCodes.Status404NotFound, "Not found", $"No {what} with that id exists for this tenant.");

    /// <summary>
    /// 422: well-formed JSON with unusable values. Lists each field in <c>errors</c>; the detail repeats the first
    /// message per field for clients that show only the detail.
    /// </summary>
    public static ProblemHttpResult Validation(Dictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The request has invalid fields",
            Detail = "Fix the fields listed in 'errors' and send the request again. "
                + string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value[0]}")),
        });

    /// <summary>Writes a problem from middleware, where there is no endpoint result to return.</summary>
    public static Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        context.Response.StatusCode = status;
        var service = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        return service.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }).AsTask();
    }
}
