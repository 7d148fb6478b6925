using Microsoft.AspNetCore.Http.HttpResults;

namespace Ahod.Savings;

/// <summary>The expected refusals, each a ProblemDetails with a sentence a member can act on.</summary>
internal static class Problems
{
    /// <summary>Also what a non-member gets for a private community: its existence is not revealed.</summary>
    public static ProblemHttpResult NotFound(string what = "community") =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found.", detail: $"No {what} with that id is visible to you.");

    public static ProblemHttpResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed.", detail: detail);

    public static ProblemHttpResult AdminOnly() => Forbidden("Only an admin of this community can do this.");

    /// <summary>422: the request was well formed but a rule of the community or the ledger refused it.</summary>
    public static ProblemHttpResult Rule(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: title, detail: detail);

    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict.", detail: detail);

    public static ProblemHttpResult PaymentsUnavailable(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Payments is unavailable; nothing was lost, retry the same request.", detail: detail);

    public static ValidationProblem Invalid(Validation validation) =>
        TypedResults.ValidationProblem(validation.Errors, title: "One or more fields are invalid.");

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "One or more fields are invalid.");
}
