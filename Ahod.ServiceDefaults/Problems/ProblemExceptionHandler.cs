using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Hosting;

namespace Ahod.ServiceDefaults;

/// <summary>
/// The one place unexpected exceptions become responses. Expected outcomes are returned by handlers,
/// so anything here is either a malformed request or a bug, and a bug's details stay in the logs.
/// </summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problemDetails, IHostEnvironment environment) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // Nobody is listening; 499 keeps these out of the 5xx error rate.
            httpContext.Response.StatusCode = StatusCodes.Status499ClientClosedRequest;
            return true;
        }

        var problem = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } bad => BadRequestProblems.From(bad),
            BadHttpRequestException bad => Problem(bad.StatusCode, bad.Message),
            JsonException or FormatException => Problem(StatusCodes.Status400BadRequest, "The request body or a parameter is malformed."),
            _ => Problem(StatusCodes.Status500InternalServerError, "An unexpected error occurred."),
        };

        if (problem.Status == StatusCodes.Status500InternalServerError && environment.IsDevelopment())
        {
            problem.Extensions["exception"] = exception.ToString();
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
        return true;
    }

    private static ProblemDetails Problem(int status, string detail) => new() { Status = status, Detail = detail };
}
