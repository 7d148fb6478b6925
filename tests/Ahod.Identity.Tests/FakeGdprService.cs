using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Ahod.Identity.Tests;

/// <summary>
/// Stands in for a later service (payments, savings, ...) that implements the GDPR export contract, so the
/// aggregation in Identity is tested before those services do. It records the headers Identity sent.
/// </summary>
public sealed class FakeGdprService : IAsyncDisposable
{
    public const string Name = "gdprprobe";

    private readonly WebApplication _app;

    private FakeGdprService(WebApplication app) => _app = app;

    public ConcurrentDictionary<Guid, (string? InternalKey, string? Authorization)> Calls { get; } = new();

    public Uri Url => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public static async Task<FakeGdprService> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var service = new FakeGdprService(app);
        app.MapGet("/internal/gdpr/users/{id:guid}", (Guid id, HttpRequest request) =>
        {
            service.Calls[id] = (request.Headers["X-Ahod-Internal-Key"].FirstOrDefault(), request.Headers.Authorization.FirstOrDefault());
            return Results.Json(new { service = Name, data = new { userId = id, wallets = new[] { new { currency = "USD", balance = 1500 } } } });
        });
        await app.StartAsync(cancellationToken);
        return service;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
