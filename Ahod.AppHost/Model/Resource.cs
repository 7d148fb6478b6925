namespace Ahod.AppHost.Model;

/// <summary>Something the app model starts (or points at) and other resources can depend on.</summary>
public abstract class Resource(string name)
{
    public string Name { get; } = ResourceName.Validate(name);

    /// <summary>Resources that must be healthy before this one starts.</summary>
    public List<Resource> WaitsFor { get; } = [];

    /// <summary>The resource that owns this one (a database's server); it starts with its parent.</summary>
    public virtual Resource? Parent => null;

    public override string ToString() => Name;
}

/// <summary>A resource that hands out a connection string under <c>ConnectionStrings__{Name}</c>.</summary>
public interface IResourceWithConnectionString
{
    string Name { get; }

    /// <summary>The connection string, available once the resource is allocated (ports and passwords known).</summary>
    string GetConnectionString();

    /// <summary>The same connection string as a manifest expression (<c>{postgres.bindings.tcp.host}</c> ...).</summary>
    string ConnectionStringExpression { get; }
}

/// <summary>A resource that has an HTTP endpoint other resources discover as <c>services__{name}__http__0</c>.</summary>
public interface IResourceWithEndpoints
{
    string Name { get; }
    Uri? HttpEndpoint { get; }
}

internal static class ResourceName
{
    // Names become environment variable parts and DNS-like host names: keep them to what Aspire allows.
    public static string Validate(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 64 || !char.IsAsciiLetterLower(name[0]) ||
            name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
        {
            throw new ArgumentException($"Resource name '{name}' is invalid: use 1-64 of a-z, 0-9 and '-', starting with a letter.", nameof(name));
        }

        return name;
    }
}
