namespace Ahod.Marketplace.Clients;

/// <summary>Thrown when another service cannot answer: the caller's change is not made and stays retryable.</summary>
public sealed class ServiceUnavailableException(string service, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Service { get; } = service;
}

/// <summary>Identity's internal API: the <c>provider</c> role for members who offer services or jobs.</summary>
public sealed class IdentityClient(HttpClient http)
{
    public async Task GrantRoleAsync(Guid userId, string role, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync($"/internal/users/{userId}/roles", new { role }, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new ServiceUnavailableException("Identity", "Identity could not be reached to grant the provider role.", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new ServiceUnavailableException("Identity", $"Identity answered {(int)response.StatusCode} when asked to grant the {role} role.");
            }
        }
    }
}
