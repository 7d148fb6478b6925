using System.Text.Json;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace Ahod.Testing;

/// <summary>A served OpenAPI document, read as JSON for assertions and checked with the OpenAPI.NET reader and its rules.</summary>
public static class OpenApiDocuments
{
    /// <summary>Throws unless <paramref name="path"/> answers 200 with an OpenAPI 3 document that reads and validates without errors.</summary>
    public static async Task<JsonElement> ReadValidAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {text}");
        }

        var read = OpenApiDocument.Parse(text, OpenApiConstants.Json, new OpenApiReaderSettings());
        var errors = (read.Diagnostic?.Errors ?? []).Select(e => $"{e.Pointer}: {e.Message}").ToList();
        if (read.Document is { } document)
        {
            errors.AddRange(document.Validate(ValidationRuleSet.GetDefaultRuleSet())?.Select(e => $"{e.Pointer}: {e.Message}") ?? []);
        }

        if (read.Document is null || errors.Count > 0 || read.Diagnostic?.SpecificationVersion is not (OpenApiSpecVersion.OpenApi3_0 or OpenApiSpecVersion.OpenApi3_1))
        {
            throw new InvalidOperationException($"{path} is not a valid OpenAPI 3 document ({read.Diagnostic?.SpecificationVersion}):\n" + string.Join("\n", errors));
        }

        using var json = JsonDocument.Parse(text);
        return json.RootElement.Clone();
    }

    /// <summary>A schema, following a <c>$ref</c> into <c>components/schemas</c>.</summary>
    public static JsonElement Resolve(JsonElement document, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;
}
