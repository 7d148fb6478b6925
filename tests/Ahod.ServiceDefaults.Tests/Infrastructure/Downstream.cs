using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Ahod.ServiceDefaults.Tests;

/// <summary>
/// A real downstream service whose every request on /work is answered by a script,
/// recording each hit so tests can count attempts and measure the gaps between them.
/// </summary>
internal sealed class Downstream : IAsyncDisposable
{
    private readonly ConcurrentQueue<Hit> _hits = new();
    private readonly Func<int, HttpContext, Task> _respond;
    private KestrelApp? _app;

    private Downstream(Func<int, HttpContext, Task> respond) => _respond = respond;

    public Uri BaseAddress => _app!.BaseAddress;

    public Uri WorkUri => new(BaseAddress, "/work");

    public int HitCount => _hits.Count;

    public IReadOnlyList<Hit> Hits => [.. _hits];

    /// <summary><paramref name="respond"/> gets the 1-based attempt number.</summary>
    public static async Task<Downstream> StartAsync(Func<int, HttpContext, Task> respond)
    {
        var downstream = new Downstream(respond);
        downstream._app = await KestrelApp.StartAsync(app => app.Map("/work", downstream.HandleAsync));
        return downstream;
    }

    /// <summary>Answers with the given status codes in turn, repeating the last one.</summary>
    public static Task<Downstream> RespondingAsync(params int[] statusCodes) =>
        StartAsync((attempt, context) =>
        {
            context.Response.StatusCode = statusCodes[Math.Min(attempt, statusCodes.Length) - 1];
            return Task.CompletedTask;
        });

    public ValueTask DisposeAsync() => _app?.DisposeAsync() ?? ValueTask.CompletedTask;

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        int attempt;
        lock (_hits)
        {
            _hits.Enqueue(new Hit(Stopwatch.GetTimestamp(), body));
            attempt = _hits.Count;
        }

        await _respond(attempt, context);
    }

    public sealed record Hit(long Timestamp, string Body);
}
