using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Ahod.ServiceDefaults;

/// <summary>
/// A request the framework could not bind (not JSON, a float or a string where minor units go, a number where a UUID
/// goes, no body, <c>?limit=abc</c>) as the contract's 400: <c>errors</c> names the field in the client's words
/// (<c>amount.amount</c>, <c>limit</c>, <c>body</c>) and no framework text or .NET type leaks out.
/// </summary>
internal static partial class BadRequestProblems
{
    public const string BodyField = "body";

    public static HttpValidationProblemDetails From(BadHttpRequestException exception)
    {
        var (field, message) = exception.InnerException is JsonException json ? FromJson(json) : FromParameter(exception.Message);
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "One or more fields are invalid.",
            Detail = field == BodyField ? message : $"'{field}': {message}",
        };
    }

    private static (string Field, string Message) FromJson(JsonException json)
    {
        // The reader's own syntax errors come wrapped (JsonReaderException is internal to System.Text.Json).
        if (json.InnerException?.GetType().Name == "JsonReaderException")
        {
            return (BodyField, $"Not valid JSON (line {json.LineNumber + 1}, byte {json.BytePositionInLine + 1}).");
        }

        var field = FieldOf(json.Path);
        return field == BodyField
            ? (field, "Must be a JSON object with the documented fields.")
            : (field, "Wrong JSON type or value: amounts are integers of minor units, ids are UUID strings, flags are true or false.");
    }

    /// <summary><c>$.amount.amount</c> → <c>amount.amount</c>; <c>$</c> (the whole body) → <c>body</c>.</summary>
    internal static string FieldOf(string? path) =>
        path is null or "$" ? BodyField : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static (string Field, string Message) FromParameter(string frameworkMessage)
    {
        var match = Parameter().Match(frameworkMessage);
        if (!match.Success || frameworkMessage.Contains("body", StringComparison.OrdinalIgnoreCase))
        {
            return (BodyField, "Required: a JSON object with the documented fields.");
        }

        var name = match.Groups["name"].Value;
        var type = match.Groups["type"].Value;
        return frameworkMessage.StartsWith("Required", StringComparison.Ordinal)
            ? (name, "Required.")
            : (name, type switch
            {
                var t when t.Contains("int", StringComparison.OrdinalIgnoreCase) || t.Contains("long", StringComparison.OrdinalIgnoreCase) => "Must be an integer.",
                var t when t.Contains("Guid", StringComparison.Ordinal) => "Must be a UUID.",
                var t when t.Contains("bool", StringComparison.OrdinalIgnoreCase) => "Must be true or false.",
                var t when t.Contains("DateTime", StringComparison.Ordinal) => "Must be an ISO 8601 date and time.",
                _ => "Not a valid value.",
            });
    }

    // e.g. Failed to bind parameter "Nullable<int> limit" from "abc". / Required parameter "Guid id" was not provided from query string.
    [GeneratedRegex("""parameter "(?<type>[^"]+) (?<name>[A-Za-z_][A-Za-z0-9_]*)"(?<rest>.*)""")]
    private static partial Regex Parameter();
}
