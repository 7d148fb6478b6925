using System.Globalization;

namespace Ahod.Redis;

/// <summary>
/// Where and how to connect. Built from the StackExchange.Redis-style connection string that the
/// Aspire AppHost hands to services (<c>host:port,password=...</c>), so the same configuration works
/// whichever client a service uses.
/// </summary>
public sealed class RedisConnectionOptions
{
    public const int DefaultPort = 6379;

    // Options StackExchange.Redis understands that do not change how this client behaves. They are
    // accepted so a connection string written for that client still works here.
    private static readonly HashSet<string> IgnoredKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "abortConnect", "allowAdmin", "asyncTimeout", "syncTimeout", "connectRetry", "keepAlive",
        "resolveDns", "tiebreaker", "version", "configChannel", "checkCertificateRevocation",
        "sslProtocols", "setlib", "protocol", "responseTimeout", "channelPrefix", "serviceName",
    };

    public string Host { get; init; } = "localhost";

    public int Port { get; init; } = DefaultPort;

    /// <summary>ACL user name; with <see cref="Password"/> this sends <c>AUTH user password</c>.</summary>
    public string? User { get; init; }

    public string? Password { get; init; }

    public bool Ssl { get; init; }

    /// <summary>Name to validate the server certificate against when it differs from <see cref="Host"/>.</summary>
    public string? SslHost { get; init; }

    public int DefaultDatabase { get; init; }

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Sent as <c>CLIENT SETNAME</c> so the connection is recognisable in <c>CLIENT LIST</c>.</summary>
    public string? ClientName { get; init; }

    public string Endpoint => Host.Contains(':') ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    /// <summary>Parses <c>host[:port][,key=value]*</c>. Throws <see cref="FormatException"/> naming the bad part.</summary>
    public static RedisConnectionOptions Parse(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new FormatException("The Redis connection string is empty; expected 'host:port[,password=...]'.");
        }

        string? host = null;
        var port = DefaultPort;
        string? user = null, password = null, sslHost = null, clientName = null;
        var ssl = false;
        var database = 0;
        var connectTimeout = TimeSpan.FromSeconds(5);

        foreach (var token in connectionString.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = token.IndexOf('=');
            if (equals < 0)
            {
                if (host is not null)
                {
                    throw new FormatException(
                        $"The Redis connection string names more than one endpoint ('{host}' and '{token}'); only a single server is supported.");
                }

                (host, port) = ParseEndpoint(token);
                continue;
            }

            var key = token[..equals].Trim();
            var value = token[(equals + 1)..].Trim();
            if (key.Length == 0)
            {
                throw new FormatException($"The Redis connection string has an option without a name: '{token}'.");
            }

            switch (key.ToLowerInvariant())
            {
                case "password": password = value; break;
                case "user": user = value; break;
                case "ssl": ssl = ParseBool(key, value); break;
                case "sslhost": sslHost = value; break;
                case "name": clientName = value; break;
                case "defaultdatabase": database = ParseInt(key, value, min: 0); break;
                case "connecttimeout": connectTimeout = TimeSpan.FromMilliseconds(ParseInt(key, value, min: 1)); break;
                default:
                    if (!IgnoredKeys.Contains(key))
                    {
                        throw new FormatException($"The Redis connection string has an unknown option '{key}'.");
                    }

                    break;
            }
        }

        if (host is null)
        {
            throw new FormatException("The Redis connection string has no endpoint; expected 'host:port' as its first part.");
        }

        return new RedisConnectionOptions
        {
            Host = host,
            Port = port,
            User = NullIfEmpty(user),
            Password = NullIfEmpty(password),
            Ssl = ssl,
            SslHost = NullIfEmpty(sslHost),
            DefaultDatabase = database,
            ConnectTimeout = connectTimeout,
            ClientName = NullIfEmpty(clientName),
        };
    }

    /// <summary>Never prints the password: options end up in logs and exception messages.</summary>
    public override string ToString() =>
        $"{Endpoint},defaultDatabase={DefaultDatabase},ssl={Ssl}{(User is null ? "" : $",user={User}")}{(Password is null ? "" : ",password=*****")}";

    private static (string Host, int Port) ParseEndpoint(string endpoint)
    {
        string host;
        string? portText = null;
        if (endpoint.StartsWith('['))
        {
            // IPv6 literal: [::1]:6379
            var close = endpoint.IndexOf(']');
            if (close < 0)
            {
                throw new FormatException($"The Redis endpoint '{endpoint}' has an unclosed '['.");
            }

            host = endpoint[1..close];
            var rest = endpoint[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    throw new FormatException($"The Redis endpoint '{endpoint}' is not '[address]:port'.");
                }

                portText = rest[1..];
            }
        }
        else
        {
            var colon = endpoint.LastIndexOf(':');
            if (colon >= 0 && endpoint.IndexOf(':') != colon)
            {
                throw new FormatException($"The Redis endpoint '{endpoint}' looks like an IPv6 address; write it as '[address]:port'.");
            }

            host = colon < 0 ? endpoint : endpoint[..colon];
            portText = colon < 0 ? null : endpoint[(colon + 1)..];
        }

        if (host.Length == 0 || host.Any(char.IsWhiteSpace))
        {
            throw new FormatException($"The Redis endpoint '{endpoint}' has no valid host name.");
        }

        var port = DefaultPort;
        if (portText is not null &&
            (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            throw new FormatException($"The Redis endpoint '{endpoint}' has an invalid port '{portText}'.");
        }

        return (host, port);
    }

    private static bool ParseBool(string key, string value) =>
        bool.TryParse(value, out var result)
            ? result
            : throw new FormatException($"The Redis connection string option '{key}' must be true or false, not '{value}'.");

    private static int ParseInt(string key, string value, int min) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var result) && result >= min
            ? result
            : throw new FormatException($"The Redis connection string option '{key}' must be a whole number >= {min}, not '{value}'.");

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
