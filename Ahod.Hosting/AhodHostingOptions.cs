using Aspire.Hosting;
using Microsoft.Extensions.Configuration;

namespace Ahod.Hosting;

/// <summary>Where the local servers keep their data, and whether that data is throwaway (tests).</summary>
public static class AhodHosting
{
    /// <summary>The state folder: <c>Ahod:StateDirectory</c>, else <c>.ahod</c> beside the AppHost's folder.</summary>
    public static string StateDirectory(this IDistributedApplicationBuilder builder)
    {
        var path = Path.GetFullPath(builder.Configuration["Ahod:StateDirectory"] ?? Path.Combine(builder.AppHostDirectory, "..", ".ahod"));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>The data folder of one server: <c>{state}/data/{resource}</c>.</summary>
    public static string DataDirectory(this IDistributedApplicationBuilder builder, string resourceName) =>
        Path.Combine(builder.StateDirectory(), "data", resourceName);

    /// <summary><c>Ahod:Ephemeral=true</c> (tests): data is thrown away, so durability (fsync, AOF) is switched off for speed.</summary>
    public static bool IsEphemeral(this IDistributedApplicationBuilder builder) =>
        builder.Configuration.GetValue("Ahod:Ephemeral", false);

    /// <summary>A connection string in configuration (<c>ConnectionStrings:{name}</c>) makes a server external: nothing is started.</summary>
    internal static bool IsExternal(this IDistributedApplicationBuilder builder, string name) =>
        !string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name));

    /// <summary>One of our start scripts (embedded in this library), written to <c>{state}/scripts</c>.</summary>
    internal static string Script(this IDistributedApplicationBuilder builder, string name)
    {
        var path = Path.Combine(builder.StateDirectory(), "scripts", name);
        using var stream = typeof(AhodHosting).Assembly.GetManifestResourceStream(name)
                           ?? throw new InvalidOperationException($"The script {name} is not embedded in Ahod.Hosting.");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        if (!File.Exists(path) || File.ReadAllText(path) != text)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }

        return path;
    }
}
