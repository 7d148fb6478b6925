using System.Collections;
using Ahod.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
if (builder.Configuration["Probe:ExitAtStart"] == "true")
{
    return 3;
}

if (builder.Configuration.GetConnectionString("probedb") is not null)
{
    builder.AddNpgsqlDataSource("probedb");
}

builder.Services.AddHttpClient("internal").AddInternalApiKey();

var app = builder.Build();
app.MapDefaultEndpoints();

// The environment contract as this process sees it.
app.MapGet("/env", () => Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
    .Select(e => (Key: (string)e.Key, Value: e.Value as string ?? ""))
    .Where(e => e.Key.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || e.Key.StartsWith("services__", StringComparison.Ordinal) ||
                e.Key.StartsWith("OTEL_", StringComparison.Ordinal) || e.Key.StartsWith("ASPNETCORE_", StringComparison.Ordinal))
    .ToDictionary(e => e.Key, e => e.Value));

app.MapGet("/pid", () => Environment.ProcessId);

// What reached this service, so gateway tests can see which headers were stripped, added or propagated.
app.MapGet("/headers", (HttpRequest request) => request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));
app.MapPost("/headers", (HttpRequest request) => request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));

// Counts the body it receives, so a test can tell what a proxy let through (gateway tests also route listing image uploads here).
app.MapPost("/echo-length", CountBodyAsync);
app.MapPost("/api/listings/{id}/images", CountBodyAsync);

// Answers late, for proxy timeouts.
app.MapGet("/slow", async (int ms, CancellationToken ct) =>
{
    await Task.Delay(ms, ct);
    return "late";
});

// Sends its body in two parts a while apart, so a test can tell a streaming proxy from a buffering one.
app.MapGet("/stream", async (HttpResponse response, CancellationToken ct) =>
{
    response.ContentType = "text/plain";
    await response.WriteAsync("first\n", ct);
    await response.Body.FlushAsync(ct);
    await Task.Delay(TimeSpan.FromSeconds(3), ct);
    await response.WriteAsync("second\n", ct);
});

// Echoes every WebSocket message back, and the subprotocol the client asked for first.
app.UseWebSockets();
app.Map("/hubs/echo", async (HttpContext context) =>
{
    if (!context.WebSockets.IsWebSocketRequest)
    {
        return Results.BadRequest();
    }

    using var socket = await context.WebSockets.AcceptWebSocketAsync(context.WebSockets.WebSocketRequestedProtocols.FirstOrDefault());
    var buffer = new byte[16 * 1024];
    while (true)
    {
        var result = await socket.ReceiveAsync(buffer, context.RequestAborted);
        if (result.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
        {
            await socket.CloseAsync(result.CloseStatus ?? System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, result.CloseStatusDescription, context.RequestAborted);
            return Results.Empty;
        }

        await socket.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, context.RequestAborted);
    }
});

// Calls another service by its logical name, through service discovery and the resilience handler.
app.MapGet("/call/{service}", async (string service, IHttpClientFactory clients, CancellationToken ct) =>
    await clients.CreateClient().GetStringAsync(new Uri($"http://{service}/pid"), ct));

// Service-to-service: only callers holding the AppHost's internal key get in.
app.MapGet("/internal/ping", () => "pong").RequireInternalApiKey();
app.MapGet("/call-internal/{service}", async (string service, IHttpClientFactory clients, CancellationToken ct) =>
    await clients.CreateClient("internal").GetStringAsync(new Uri($"http://{service}/internal/ping"), ct));

// Proves a graceful stop: ASP.NET Core runs this on SIGTERM, never on SIGKILL.
var marker = app.Configuration["Probe:ShutdownMarker"];
if (marker is not null)
{
    app.Lifetime.ApplicationStopping.Register(() => File.WriteAllText(marker, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}

await app.RunAsync();
return 0;

static async Task<long> CountBodyAsync(HttpRequest request)
{
    var length = 0L;
    var buffer = new byte[16 * 1024];
    int read;
    while ((read = await request.Body.ReadAsync(buffer)) > 0)
    {
        length += read;
    }

    return length;
}
