namespace Ahod.AppHost.Run;

/// <summary>Finds Debian's server binaries, or says which package and script install them.</summary>
internal static class ServerBinaries
{
    public static string Postgres(string tool)
    {
        var root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "postgres")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return bin is not null ? Path.Combine(bin, tool) : throw Missing("PostgreSQL", "postgresql");
    }

    public static string Redis() => Require("/usr/bin/redis-server", "Redis", "redis-server");

    public static string RabbitMq() => Require("/usr/lib/rabbitmq/bin/rabbitmq-server", "RabbitMQ", "rabbitmq-server");

    public static string Epmd() =>
        new[] { "/usr/bin/epmd", "/usr/lib/erlang/bin/epmd" }.FirstOrDefault(File.Exists) ?? throw Missing("Erlang's epmd", "erlang-base");

    private static string Require(string path, string what, string package) => File.Exists(path) ? path : throw Missing(what, package);

    private static AppHostException Missing(string what, string package) =>
        new($"{what} is not installed: run eng/install-prerequisites.sh (apt package '{package}').");
}
