using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadline.Admin;

/// <summary>Validation problems of the admin API: 422 (the request is well-formed JSON with unusable values).</summary>
public static class AdminProblems
{
    /// <summary>A 422 problem listing each field; the detail repeats the first message per field for clients that show only it.</summary>
    public static ProblemHttpResult Invalid(Dictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "The request has invalid fields",
            Detail = "Fix the fields listed in 'errors' and send the request again. "
                + string.Join(" ", errors.Select(e => $"{e.Key}: {e.Value[0]}")),
        });
}
