using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Ahod.Gateway.Tests;
using Ahod.Testing;

[assembly: AssemblyFixture(typeof(GatewayFixture))]

namespace Ahod.Gateway.Tests;

/// <summary>
/// The real app model from the gateway down (gateway, Identity, Payments, Savings, PostgreSQL, Redis, RabbitMQ), plus a probe service the
/// gateway routes /headers, /echo-length, /hubs/echo and listing uploads to, a service that is never configured (ghost),
/// and one whose endpoint refuses connections (dead).
/// Identity signs with a key this fixture generated, so tests can mint tokens that differ from real ones in one way only.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    private static int _nextAddress;
    private TestApp? _app;

    public TestApp App => _app ?? throw new InvalidOperationException("The test app has not started.");

    /// <summary>Identity's signing key (Jwt:SigningKeys:0).</summary>
    public ECDsa SigningKey { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public Uri GatewayEndpoint => App.GetEndpoint("gateway");

    public async ValueTask InitializeAsync()
    {
        _app = await TestApp.StartAhodAsync(["gateway", "identity", "payments", "savings"], Compose, TestContext.Current.CancellationToken);
    }

    private void Compose(TestAppBuilder builder)
    {
        builder.Project("identity").WithEnvironment("Jwt__SigningKeys__0", SigningKey.ExportPkcs8PrivateKeyPem());
        var gateway = builder.Project("gateway");
        // The probe shows headers as they arrive: it does not take X-Forwarded-For as its client's address.
        var probe = builder.AddTestProject("probe", "Ahod.TestService").WithHttpHealthCheck("/health")
            .WithEnvironment("ForwardedHeaders__TrustLoopback", "false");
        gateway.WithReference(probe).WaitFor(probe);
        AddRoute(gateway, "probeheaders", "/headers", "probe");
        AddRoute(gateway, "probelength", "/echo-length", "probe");
        AddRoute(gateway, "probehubs", "/hubs/echo", "probe", webSockets: true);
        AddRoute(gateway, "probenohub", "/hubs/missing", "probe", webSockets: true);
        AddRoute(gateway, "probeslow", "/slow", "probe");
        AddRoute(gateway, "probestream", "/stream", "probe");
        // Short enough for a test to see a 504, long enough for sign-ups (PBKDF2) under the whole suite's load.
        gateway.WithEnvironment("Gateway__Proxy__Timeout", "00:00:10");
        // Listing image uploads reach the probe, which counts what arrived.
        AddRoute(gateway, "listings", "/api/listings", "probe");
        // A service no environment configures, public and protected: 503 whatever else is deployed.
        AddRoute(gateway, "ghost", "/ghost", "ghost");
        AddRoute(gateway, "apighost", "/api/ghost", "ghost");
        AddRoute(gateway, "hubghost", "/hubs/ghost", "ghost", webSockets: true);
        // A service with an endpoint where nothing listens: connection refused.
        AddRoute(gateway, "dead", "/dead", "dead");
        var dead = $"http://127.0.0.1:{ClosedPort()}";
        gateway.WithEnvironment("services__dead__http__0", dead);
    }

    private static void AddRoute(IResourceBuilder<ProjectResource> gateway, string name, string prefix, string service, bool webSockets = false) =>
        gateway.WithEnvironment($"Gateway__Routes__{name}__Prefix", prefix)
            .WithEnvironment($"Gateway__Routes__{name}__Service", service)
            .WithEnvironment($"Gateway__Routes__{name}__WebSockets", webSockets ? "true" : "false");

    /// <summary>
    /// A client of the gateway that connects from its own loopback address (127.1.x.y), so each test has its own
    /// per-IP rate-limit buckets and sees its own address in X-Forwarded-For.
    /// </summary>
    public HttpClient CreateClient() => CreateClient(out _);

    public HttpClient CreateClient(out IPAddress address)
    {
        var n = Interlocked.Increment(ref _nextAddress);
        var local = new IPAddress([127, 1, (byte)(n / 250), (byte)(1 + (n % 250))]);
        address = local;
        var handler = new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = GatewayEndpoint, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Signs up a fresh user through the gateway.</summary>
    public static async Task<TestUser> SignUpAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var user = new TestUser($"gw-{suffix}@ahod.test", $"Pw-{suffix}-long-enough!", $"gw_{suffix}");
        using var response = await client.PostAsJsonAsync("/api/auth/signup", new
        {
            email = user.Email,
            password = user.Password,
            passwordConfirmation = user.Password,
            userName = user.UserName,
            firstName = "Gate",
            lastName = "Way",
        }, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, body);
        var json = JsonNode.Parse(body)!;
        return user with
        {
            AccessToken = json["accessToken"]!.GetValue<string>(),
            Id = json["user"]!["id"]!.GetValue<string>(),
            RefreshCookie = RefreshCookieOf(response),
        };
    }

    /// <summary>The refresh cookie a response set, as a Cookie header value ("ahod_refresh=..."), or "".</summary>
    public static string RefreshCookieOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Select(c => c.Split(';')[0]).FirstOrDefault(c => c.StartsWith("ahod_refresh=", StringComparison.Ordinal) && c.Length > "ahod_refresh=".Length) ?? ""
            : "";

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        SigningKey.Dispose();
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

public sealed record TestUser(string Email, string Password, string UserName)
{
    public string AccessToken { get; init; } = "";

    public string Id { get; init; } = "";

    /// <summary>"ahod_refresh=..." as sent back in a Cookie header.</summary>
    public string RefreshCookie { get; init; } = "";
}
