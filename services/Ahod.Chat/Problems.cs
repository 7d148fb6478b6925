using Microsoft.AspNetCore.Http.HttpResults;

namespace Ahod.Chat;

/// <summary>The expected refusals, each a ProblemDetails.</summary>
internal static class Problems
{
    /// <summary>Also what a non-participant gets: a conversation's existence is not revealed.</summary>
    public static ProblemHttpResult NotFound(string what = "conversation") =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: $"No {what} with that id is visible to you.");

    public static ProblemHttpResult Rule(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: title, detail: detail);

    public static ValidationProblem Invalid(Validation validation) =>
        TypedResults.ValidationProblem(validation.Errors, title: "One or more fields are invalid.");

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "One or more fields are invalid.");
}
