using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ahod.Marketplace.Listings;

public enum AttributeType
{
    Integer,
    Choice,
    Text,
    Choices,
    Boolean,
}

/// <summary>One attribute a category knows: its type, allowed values and whether a listing must give it.</summary>
public sealed record AttributeDefinition(string Name, AttributeType Type, bool Required = false, string[]? Values = null, int Min = 0, int Max = int.MaxValue)
{
    public string Describe() => Type switch
    {
        AttributeType.Integer => $"An integer from {Min} to {Max}.",
        AttributeType.Choice => $"One of: {string.Join(", ", Values!)}.",
        AttributeType.Choices => $"A list of distinct values from: {string.Join(", ", Values!)}.",
        AttributeType.Boolean => "true or false.",
        _ => "Text of 1 to 100 characters.",
    };
}

/// <summary>A category: which listing kinds may use it and the attributes it takes.</summary>
public sealed record Category(string Name, string[] Kinds, AttributeDefinition[] Attributes);

/// <summary>The contract's categories and their attributes; anything else in <c>attributes</c> is a 400.</summary>
public static class Categories
{
    public static readonly string[] Kinds = ["sale", "rent", "job", "service"];

    public static readonly string[] PriceUnits = ["item", "hour", "day", "week", "month"];

    public static readonly string[] SeniorCareNeeds = ["transportation", "householdTasks", "personalCare", "mobility", "companionship", "specializedCare"];

    private static readonly string[] Goods = ["sale", "rent"];
    private static readonly string[] Services = ["service", "job"];

    public static readonly IReadOnlyDictionary<string, Category> All = new[]
    {
        new Category("goods", Goods, []),
        new Category("electronics", Goods, []),
        new Category("books", Goods, []),
        new Category("housing", Goods, [new("bedrooms", AttributeType.Integer, Min: 0, Max: 50)]),
        new Category("jobs", ["job"], [new("employment", AttributeType.Choice, Values: ["full-time", "part-time", "gig"])]),
        new Category("tutoring", Services,
        [
            new("level", AttributeType.Choice, Required: true, Values: ["primary", "secondary", "university", "adult"]),
            new("subject", AttributeType.Text, Required: true),
            new("schoolYear", AttributeType.Integer, Min: 1, Max: 20),
        ]),
        new Category("housekeeping", Services, [new("tasks", AttributeType.Choices, Required: true, Values: ["cleaning", "laundry", "cooking", "shopping"])]),
        new Category("senior-care", Services, [.. SeniorCareNeeds.Select(n => new AttributeDefinition(n, AttributeType.Boolean))]),
    }.ToDictionary(c => c.Name, StringComparer.Ordinal);

    /// <summary>
    /// Checks <paramref name="attributes"/> against the category and returns them normalized (text trimmed and
    /// lower-cased so a filter matches however it was typed, lists de-duplicated in a fixed order, senior care's
    /// six needs always present), or null with the errors added under <c>attributes.&lt;name&gt;</c>.
    /// </summary>
    public static string? Normalize(Category category, JsonElement? attributes, Validation validation)
    {
        var result = new JsonObject();
        var given = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (attributes is { ValueKind: JsonValueKind.Object } obj)
        {
            foreach (var property in obj.EnumerateObject())
            {
                given[property.Name] = property.Value;
            }
        }
        else if (attributes is { ValueKind: not (JsonValueKind.Null or JsonValueKind.Undefined) })
        {
            validation.Add("attributes", "Must be a JSON object.");
            return null;
        }

        var ok = true;
        foreach (var name in given.Keys.Where(n => category.Attributes.All(a => a.Name != n)))
        {
            validation.Add($"attributes.{name}", $"Unknown for {category.Name}; it takes: {(category.Attributes.Length == 0 ? "no attributes" : string.Join(", ", category.Attributes.Select(a => a.Name)))}.");
            ok = false;
        }

        foreach (var definition in category.Attributes)
        {
            var field = $"attributes.{definition.Name}";
            if (!given.TryGetValue(definition.Name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (definition.Required)
                {
                    validation.Add(field, "Required. " + definition.Describe());
                    ok = false;
                }
                else if (definition.Type == AttributeType.Boolean)
                {
                    result[definition.Name] = false;
                }

                continue;
            }

            if (Parse(definition, value) is { } node)
            {
                result[definition.Name] = node;
            }
            else
            {
                validation.Add(field, definition.Describe());
                ok = false;
            }
        }

        return ok ? result.ToJsonString() : null;
    }

    /// <summary>A query value (<c>attr.name=value</c>) as the JSON stored for it, for a containment filter.</summary>
    public static JsonNode? ParseFilter(AttributeDefinition definition, string text) => definition.Type switch
    {
        AttributeType.Integer => int.TryParse(text, out var n) && n >= definition.Min && n <= definition.Max ? JsonValue.Create(n) : null,
        AttributeType.Boolean => bool.TryParse(text, out var b) ? JsonValue.Create(b) : null,
        AttributeType.Choices => definition.Values!.Contains(text) ? new JsonArray(text) : null,
        AttributeType.Choice => definition.Values!.Contains(text) ? JsonValue.Create(text) : null,
        _ => text.Trim() is { Length: > 0 and <= 100 } t ? JsonValue.Create(t.ToLowerInvariant()) : null,
    };

    private static JsonNode? Parse(AttributeDefinition definition, JsonElement value)
    {
        switch (definition.Type)
        {
            case AttributeType.Integer:
                return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) && n >= definition.Min && n <= definition.Max
                    ? JsonValue.Create(n) : null;
            case AttributeType.Boolean:
                return value.ValueKind is JsonValueKind.True or JsonValueKind.False ? JsonValue.Create(value.GetBoolean()) : null;
            case AttributeType.Choice:
                return value.ValueKind == JsonValueKind.String && definition.Values!.Contains(value.GetString()) ? JsonValue.Create(value.GetString()) : null;
            case AttributeType.Choices:
                if (value.ValueKind != JsonValueKind.Array)
                {
                    return null;
                }

                var items = value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString() : null).ToList();
                if (items.Count == 0 || items.Any(i => i is null || !definition.Values!.Contains(i)) || items.Distinct().Count() != items.Count)
                {
                    return null;
                }

                return new JsonArray([.. definition.Values!.Where(items.Contains).Select(v => JsonValue.Create(v))]);
            default:
                return value.ValueKind == JsonValueKind.String && value.GetString()!.Trim() is { Length: > 0 and <= 100 } text
                    ? JsonValue.Create(text.ToLowerInvariant()) : null;
        }
    }
}
